/**
 * Claims and volumes, as Kubernetes' PersistentVolume controller, dynamic
 * provisioning and the pvc-protection controller do together:
 * - every claim carries the `kubernetes.io/pvc-protection` finalizer; a
 *   claim deleted while an unfinished pod uses it stays Terminating until
 *   that pod is gone;
 * - an unbound claim binds to the smallest Available volume that fits, or,
 *   when its class is the cluster's own (`standard`), to a volume made for
 *   it (`pvc-<uid>`, backed on Docker by a named volume); otherwise it stays
 *   Pending with an event saying why; binding sets `spec.volumeName`, the
 *   volume's `claimRef` and both phases to Bound;
 * - a volume whose claim is gone is Released, and deleted when its reclaim
 *   policy is Delete (the runtime then removes its data).
 * Level-driven: keys are `claim/<ns>/<name>` and `volume/<name>`.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import { objectKey, type Informer } from '../machinery/informer';
import { PODS } from '../machinery/informer-factory';
import { WorkQueue } from '../machinery/work-queue';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { CLAIMS, PROVISIONER, STORAGE_CLASSES, VOLUMES } from '../store/storage-class';
import type { Recorder } from '../machinery/event-recorder';
import { writerFor, type ControllerContext } from '../machinery/controller-context';
import {
  bestVolume,
  claimClass,
  claimRefOf,
  claimRefTo,
  podClaims,
  podHoldsClaims,
  PROTECTION_FINALIZER,
  provisionedVolume,
} from '../machinery/volume-binding';

export class PersistentVolumeController {
  readonly queue: WorkQueue;
  private readonly writer: AdmittedWriter;
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly pods: Informer;
  private readonly record: Recorder;

  constructor(ctx: ControllerContext) {
    this.writer = writerFor(ctx, 'persistentvolume-binder-controller');
    this.queue = new WorkQueue(ctx.clock, { baseDelayMs: 200, maxDelayMs: 10_000 });
    this.claims = ctx.informers.for(CLAIMS);
    this.volumes = ctx.informers.for(VOLUMES);
    this.classes = ctx.informers.for(STORAGE_CLASSES);
    this.pods = ctx.informers.for(PODS);
    this.record = ctx.events.for({ component: 'persistentvolume-controller' });
    const claim = (c: Stored) => {
      this.queue.add(`claim/${objectKey(c)}`);
      if (isBound(c)) this.queue.add(`volume/${String((c.spec as JsonObject).volumeName)}`);
    };
    const volume = (v: Stored) => {
      this.queue.add(`volume/${v.metadata.name ?? ''}`);
      const ref = claimRefOf(v);
      if (ref) this.queue.add(`claim/${ref.namespace}/${ref.name}`);
      for (const c of this.claims.list()) if (!isBound(c)) claim(c); // a new volume may fit a waiting claim
    };
    this.claims.addHandlers({
      onAdd: claim,
      onUpdate: (_o, c) => claim(c),
      onDelete: (c) => {
        for (const v of this.volumes.list()) if (claimRefOf(v)?.uid === c.metadata.uid) volume(v);
      },
    });
    this.volumes.addHandlers({ onAdd: volume, onUpdate: (_o, v) => volume(v), onDelete: volume });
    this.classes.addHandlers({
      onAdd: () =>
        this.claims
          .list()
          .filter((c) => !isBound(c))
          .forEach(claim),
    });
    const podClaimsChanged = (p: Stored) => {
      for (const name of podClaims(p)) this.queue.add(`claim/${p.metadata.namespace ?? 'default'}/${name}`);
    };
    this.pods.addHandlers({
      onAdd: podClaimsChanged,
      onUpdate: (_o, p) => podClaimsChanged(p),
      onDelete: podClaimsChanged,
    });
  }

  run(workers = 1): RunningController {
    return runWorkers('persistentvolume-controller', this.queue, workers, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const [kind, ...rest] = key.split('/');
    if (kind === 'volume') return this.reconcileVolume(rest.join('/'));
    const [namespace = '', name = ''] = rest;
    return this.reconcileClaim(namespace, name);
  }

  private inUse(namespace: string, name: string): boolean {
    return this.pods.list(namespace).some((p) => podHoldsClaims(p) && podClaims(p).includes(name));
  }

  private async reconcileClaim(namespace: string, name: string): Promise<void> {
    const claim = this.claims.get(namespace, name);
    if (!claim) return;
    const finalizers = claim.metadata.finalizers ?? [];
    if (claim.metadata.deletionTimestamp) {
      if (finalizers.includes(PROTECTION_FINALIZER) && !this.inUse(namespace, name)) {
        const next = clone(claim) as KubeObject;
        next.metadata.finalizers = finalizers.filter((f) => f !== PROTECTION_FINALIZER);
        await this.writer.update(CLAIMS, next);
      }
      return;
    }
    if (!finalizers.includes(PROTECTION_FINALIZER)) {
      const next = clone(claim) as KubeObject;
      next.metadata.finalizers = [...finalizers, PROTECTION_FINALIZER];
      await this.writer.update(CLAIMS, next);
      return; // the update brings the claim back through the queue
    }
    const spec = isObject(claim.spec) ? claim.spec : {};
    const bound = typeof spec.volumeName === 'string' && spec.volumeName !== '' ? spec.volumeName : undefined;
    if (bound) return this.settleBound(claim, bound);
    let volume = bestVolume(this.volumes.list(), claim);
    if (!volume) {
      const cls = claimClass(claim);
      const storageClass = cls === '' ? undefined : this.classes.get('', cls);
      if (!storageClass || storageClass.provisioner !== PROVISIONER) {
        const why = !storageClass
          ? cls === ''
            ? 'no persistent volumes available for this claim and no storage class is set'
            : `storageclass.storage.k8s.io "${cls}" not found`
          : `waiting for a volume to be created by "${String(storageClass.provisioner)}", which this cluster does not run`;
        this.record(claim, cls !== '' && !storageClass ? 'Warning' : 'Normal', 'FailedBinding', why);
        return;
      }
      volume = await this.writer.create(VOLUMES, provisionedVolume(claim, storageClass));
      this.record(
        claim,
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${volume.metadata.name ?? ''}`,
      );
    } else if (!jsonEqual(claimRefOf(volume)?.uid, claim.metadata.uid)) {
      const next = clone(volume) as KubeObject;
      (next.spec as JsonObject).claimRef = claimRefTo(claim);
      volume = await this.writer.update(VOLUMES, next);
    }
    const next = clone(claim) as KubeObject;
    (next.spec as JsonObject).volumeName = volume.metadata.name ?? '';
    next.metadata.annotations = {
      ...next.metadata.annotations,
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    };
    await this.writer.update(CLAIMS, next); // its status follows when the key comes back
  }

  /** A claim with spec.volumeName: Bound with the volume's capacity while the volume is its, Lost when it is gone. */
  private async settleBound(claim: Stored, volumeName: string): Promise<void> {
    const volume = this.volumes.get('', volumeName);
    const status = isObject(claim.status) ? claim.status : {};
    let wanted: JsonObject;
    if (!volume) wanted = { ...status, phase: status.phase === 'Bound' ? 'Lost' : (status.phase ?? 'Pending') };
    else {
      const vspec = isObject(volume.spec) ? volume.spec : {};
      wanted = { ...status, phase: 'Bound', accessModes: vspec.accessModes ?? [], capacity: vspec.capacity ?? {} };
    }
    if (jsonEqual(status, wanted)) return;
    const next = clone(claim) as KubeObject;
    next.status = wanted;
    await this.writer.updateStatus(CLAIMS, next);
  }

  private async reconcileVolume(name: string): Promise<void> {
    const volume = this.volumes.get('', name);
    if (!volume || volume.metadata.deletionTimestamp) return;
    const ref = claimRefOf(volume);
    const claim = ref ? this.claims.get(ref.namespace, ref.name) : undefined;
    let phase: string;
    if (!ref) phase = 'Available';
    else if (claim && (ref.uid === undefined || ref.uid === claim.metadata.uid)) {
      const claimed = isObject(claim.spec) && claim.spec.volumeName === name;
      phase = claimed ? 'Bound' : 'Available';
    } else {
      const spec = isObject(volume.spec) ? volume.spec : {};
      if (spec.persistentVolumeReclaimPolicy === 'Delete') {
        await this.writer.delete(VOLUMES, '', name).catch(() => undefined);
        return;
      }
      phase = 'Released';
    }
    const status = isObject(volume.status) ? volume.status : {};
    if (status.phase === phase) return;
    const next = clone(volume) as KubeObject;
    next.status = { ...status, phase };
    await this.writer.updateStatus(VOLUMES, next);
  }
}

function isBound(claim: Stored): boolean {
  return isObject(claim.spec) && typeof claim.spec.volumeName === 'string' && claim.spec.volumeName !== '';
}
