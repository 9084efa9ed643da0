/**
 * The garbage collector: deletes objects whose owners are all gone
 * (background propagation), drops references to vanished owners when some
 * remain, deletes an owner's dependents before the owner under the
 * `foregroundDeletion` finalizer, and strips the owner reference from its
 * dependents under the `orphan` finalizer.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../api/delete-object';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import { byOwnerUid, objectKey, type Informer } from '../machinery/informer';
import { WorkQueue } from '../machinery/work-queue';
import { clone, jsonEqual, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { writerFor, type ControllerContext } from '../machinery/controller-context';

export const FOREGROUND = FOREGROUND_FINALIZER;
export const ORPHAN = ORPHAN_FINALIZER;

/** The resources whose objects can own or be owned (`group/resource`). */
export const GC_RESOURCES = [
  '/pods',
  '/services',
  '/endpoints',
  '/configmaps',
  '/secrets',
  '/serviceaccounts',
  '/replicationcontrollers',
  '/podtemplates',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'apps/controllerrevisions',
  'batch/jobs',
  'batch/cronjobs',
  '/persistentvolumeclaims',
  'discovery.k8s.io/endpointslices',
  'networking.k8s.io/ingresses',
];

/**
 * Whether an update can change what `reconcile` does with the object: its owner references, its
 * deletion or its finalizers. An owner that goes enqueues its dependents itself, so the writes in
 * between (a pod's binding and status) are not looked at: 10,000 pods starting made 20,000 reconciles
 * that found their owners there. (The uid, hence the key `byUid` holds, never changes.)
 */
function ownershipChanged(old: Stored, obj: Stored): boolean {
  const [a, b] = [old.metadata, obj.metadata];
  return (
    a.deletionTimestamp !== b.deletionTimestamp ||
    (a.ownerReferences !== b.ownerReferences && !jsonEqual(a.ownerReferences, b.ownerReferences)) ||
    (a.finalizers !== b.finalizers && !jsonEqual(a.finalizers, b.finalizers))
  );
}

export class GarbageCollector {
  readonly queue: WorkQueue;
  private readonly informers = new Map<string, Informer>();
  /** uid -> `resource|key` of every object seen. */
  private readonly byUid = new Map<string, string>();
  private readonly writer: AdmittedWriter;

  constructor(
    private readonly ctx: ControllerContext,
    resources: readonly string[] = GC_RESOURCES,
  ) {
    this.queue = new WorkQueue(ctx.clock);
    this.writer = writerFor(ctx, 'generic-garbage-collector');
    for (const resource of resources) {
      const informer = ctx.informers.for(resource);
      informer.addIndexer('owner', byOwnerUid);
      this.informers.set(resource, informer);
      const ref = (obj: Stored) => `${resource}|${objectKey(obj)}`;
      const seen = (obj: Stored) => {
        this.byUid.set(obj.metadata.uid ?? '', ref(obj));
        if ((obj.metadata.ownerReferences ?? []).length > 0) this.queue.add(ref(obj));
        if (obj.metadata.deletionTimestamp && hasGcFinalizer(obj)) this.queue.add(ref(obj));
      };
      informer.addHandlers({
        onAdd: seen,
        onUpdate: (old, obj) => {
          if (ownershipChanged(old, obj)) seen(obj);
        },
        onDelete: (obj) => {
          const uid = obj.metadata.uid ?? '';
          this.byUid.delete(uid);
          for (const dep of this.dependents(uid)) this.queue.add(dep);
          for (const owner of obj.metadata.ownerReferences ?? []) {
            const key = this.byUid.get(owner.uid);
            if (key) this.queue.add(key);
          }
        },
      });
    }
  }

  run(workers = 2): RunningController {
    return runWorkers('garbage-collector', this.queue, workers, (key) => this.reconcile(key));
  }

  private dependents(uid: string): string[] {
    const out: string[] = [];
    for (const [resource, informer] of this.informers)
      for (const d of informer.byIndex('owner', uid)) out.push(`${resource}|${objectKey(d)}`);
    return out;
  }

  private lookup(ref: string): [resource: string, obj: Stored | undefined] {
    const bar = ref.indexOf('|');
    const resource = ref.slice(0, bar);
    return [resource, this.informers.get(resource)?.getByKey(ref.slice(bar + 1))];
  }

  async reconcile(ref: string): Promise<void> {
    const [resource, obj] = this.lookup(ref);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      const finalizers = obj.metadata.finalizers ?? [];
      if (finalizers.includes(ORPHAN)) await this.orphanDependents(resource, obj);
      else if (finalizers.includes(FOREGROUND)) await this.deleteDependentsFirst(resource, obj);
      return;
    }
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const missing = refs.filter((r) => !this.ownerExists(r.uid));
    if (missing.length === 0) return;
    if (missing.length === refs.length) {
      await this.remove(resource, obj, false);
      return;
    }
    const next = clone(obj) as KubeObject;
    next.metadata.ownerReferences = refs.filter((r) => !missing.includes(r));
    await this.writer.update(resource, next);
  }

  private ownerExists(uid: string): boolean {
    const key = this.byUid.get(uid);
    if (!key) return false;
    const [, obj] = this.lookup(key);
    return obj?.metadata.uid === uid;
  }

  private async orphanDependents(resource: string, owner: Stored): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    for (const dep of this.dependents(uid)) {
      const [depResource, obj] = this.lookup(dep);
      if (!obj) continue;
      const next = clone(obj) as KubeObject;
      next.metadata.ownerReferences = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      await this.writer.update(depResource, next);
    }
    await this.dropFinalizer(resource, owner, ORPHAN);
  }

  private async deleteDependentsFirst(resource: string, owner: Stored): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    let blocking = 0;
    for (const dep of this.dependents(uid)) {
      const [depResource, obj] = this.lookup(dep);
      if (!obj) continue;
      if (obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true)) blocking++;
      if (!obj.metadata.deletionTimestamp) await this.remove(depResource, obj, true);
    }
    if (blocking === 0) await this.dropFinalizer(resource, owner, FOREGROUND);
  }

  /** Deletes a dependent; in foreground its own dependents go first (deleted with the Foreground policy). */
  private async remove(resource: string, obj: Stored, foreground: boolean): Promise<void> {
    const meta = obj.metadata;
    const cascade = foreground && this.dependents(meta.uid ?? '').length > 0;
    await this.writer
      .delete(resource, meta.namespace ?? '', meta.name ?? '', {
        preconditions: { uid: meta.uid ?? '' },
        ...(cascade ? { propagationPolicy: 'Foreground' as const } : {}),
      })
      .catch(() => undefined);
  }

  private async dropFinalizer(resource: string, obj: Stored, finalizer: string): Promise<void> {
    const latest = this.ctx.store.get(resource, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    if (!latest || latest.metadata.uid !== obj.metadata.uid) return;
    const next = clone(latest) as KubeObject;
    next.metadata.finalizers = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await this.writer.update(resource, next);
  }
}

function hasGcFinalizer(obj: Stored): boolean {
  const f = obj.metadata.finalizers ?? [];
  return f.includes(FOREGROUND) || f.includes(ORPHAN);
}
