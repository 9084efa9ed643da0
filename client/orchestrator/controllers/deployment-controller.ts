/**
 * The Deployment controller: one ReplicaSet per pod template
 * (`<deployment>-<pod-template-hash>`), revisions, RollingUpdate and
 * Recreate, pause/resume, revisionHistoryLimit, and the status and
 * conditions `kubectl rollout status/history/undo` rely on.
 */
import { byControllerUid, objectKey, splitKey, type Informer } from '../machinery/informer';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { controllerRef, numberOr, ownerReferenceTo, type ControllerContext } from '../machinery/controller-context';
import { nextStatus } from './deployment-status';
import { newReplicaSetSize, scaleDownOld } from './deployment-rollout';
import {
  CHANGE_CAUSE,
  DESIRED_REPLICAS,
  HASH_LABEL,
  MAX_REPLICAS,
  REVISION,
  findNewReplicaSet,
  podTemplateHash,
  replicasOf,
  revisionOf,
  specOf,
  specReplicasOf,
  statusOf,
  surgeAndUnavailable,
  templateWithoutHash,
} from './deployment-util';
import { isPodActive } from '../machinery/pod-state';

export class DeploymentController extends ObjectController {
  private readonly sets: Informer;
  private readonly pods: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'deployment-controller', resource: DEPLOYMENTS, workers: 4 });
    this.sets = this.watchOwned(REPLICA_SETS, { owns: (ref) => ref.kind === 'Deployment' });
    this.pods = ctx.informers.for(PODS);
    this.pods.addIndexer('controller', byControllerUid);
    // Recreate waits for old pods to be gone.
    this.pods.addHandlers({
      onDelete: (pod) => {
        const namespace = pod.metadata.namespace ?? '';
        const ref = controllerRef(pod);
        const rs = ref?.kind === 'ReplicaSet' ? this.sets.get(namespace, ref.name) : undefined;
        const owner = rs && controllerRef(rs);
        if (owner?.kind === 'Deployment') this.queue.add(`${namespace}/${owner.name}`);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const deploy = this.objects.get(namespace, name);
    if (!deploy || deploy.metadata.deletionTimestamp) return;
    const all = this.sets.byIndex('controller', deploy.metadata.uid ?? '');
    let newRS = findNewReplicaSet(deploy, all);
    const old = all.filter((rs) => rs !== newRS);
    const spec = specOf(deploy);
    const recreate = isObject(spec.strategy) && spec.strategy.type === 'Recreate';
    let created = false;

    if (spec.paused === true) {
      if (newRS) newRS = await this.syncRevision(deploy, newRS, old);
      await this.scaleToSpec(deploy, newRS, old);
    } else if (recreate) {
      const active = old.filter((rs) => specReplicasOf(rs) > 0);
      for (const rs of active) await this.scale(deploy, rs, 0);
      const oldPodsLeft = old.some((rs) => this.pods.byIndex('controller', rs.metadata.uid ?? '').some(isPodActive));
      if (active.length === 0 && !oldPodsLeft) {
        if (!newRS) [newRS, created] = [await this.createReplicaSet(deploy, old, replicasOf(deploy)), true];
        else newRS = await this.syncRevision(deploy, newRS, old);
        if (specReplicasOf(newRS) !== replicasOf(deploy)) newRS = await this.scale(deploy, newRS, replicasOf(deploy));
      }
    } else {
      if (!newRS)
        [newRS, created] = [await this.createReplicaSet(deploy, old, newReplicaSetSize(deploy, undefined, all)), true];
      else newRS = await this.syncRevision(deploy, newRS, old);
      const size = newReplicaSetSize(deploy, newRS, [...old, newRS]);
      if (size !== specReplicasOf(newRS)) newRS = await this.scale(deploy, newRS, size);
      else for (const [rs, n] of scaleDownOld(deploy, newRS, old)) await this.scale(deploy, rs, n);
    }

    const fresh = this.sets.byIndex('controller', deploy.metadata.uid ?? '');
    const current = newRS ? (fresh.find((rs) => rs.metadata.uid === newRS.metadata.uid) ?? newRS) : undefined;
    await this.cleanup(deploy, current, fresh);
    await this.writeStatus(deploy, current, fresh, created);
  }

  /** While paused only scaling happens: the active ReplicaSet follows spec.replicas. */
  private async scaleToSpec(deploy: Stored, newRS: Stored | undefined, old: Stored[]): Promise<void> {
    const active = [newRS, ...old].filter((rs): rs is Stored => rs !== undefined && specReplicasOf(rs) > 0);
    if (active.length === 1 && specReplicasOf(active[0]!) !== replicasOf(deploy))
      await this.scale(deploy, active[0]!, replicasOf(deploy));
  }

  private async createReplicaSet(deploy: Stored, old: Stored[], replicas: number): Promise<Stored> {
    const spec = specOf(deploy);
    const collisions = numberOr(statusOf(deploy).collisionCount, 0);
    const hash = podTemplateHash(templateWithoutHash(spec.template), collisions);
    const template = templateWithoutHash(spec.template);
    const tmeta: JsonObject = isObject(template.metadata) ? template.metadata : (template.metadata = {});
    tmeta.labels = { ...(isObject(tmeta.labels) ? tmeta.labels : {}), [HASH_LABEL]: hash };
    const selector = clone(isObject(spec.selector) ? spec.selector : {});
    selector.matchLabels = { ...(isObject(selector.matchLabels) ? selector.matchLabels : {}), [HASH_LABEL]: hash };
    const revision = Math.max(0, ...old.map(revisionOf)) + 1;
    const [surge] = surgeAndUnavailable(deploy);
    const cause = deploy.metadata.annotations?.[CHANGE_CAUSE];
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deploy.metadata.name ?? ''}-${hash}`,
        namespace: deploy.metadata.namespace ?? 'default',
        labels: { ...(tmeta.labels as Record<string, string>) },
        annotations: {
          [DESIRED_REPLICAS]: String(replicasOf(deploy)),
          [MAX_REPLICAS]: String(replicasOf(deploy) + surge),
          [REVISION]: String(revision),
          ...(cause !== undefined ? { [CHANGE_CAUSE]: cause } : {}),
        },
        ownerReferences: [ownerReferenceTo(deploy)],
      },
      spec: {
        replicas,
        ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
        selector,
        template,
      },
    };
    try {
      const stored = await this.writer.create(REPLICA_SETS, rs);
      this.record(
        deploy,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${stored.metadata.name ?? ''} from 0 to ${replicas}`,
      );
      await this.setDeploymentRevision(deploy, revision);
      return stored;
    } catch (error) {
      const existing = this.sets.get(deploy.metadata.namespace ?? '', rs.metadata.name ?? '');
      if (existing && controllerRef(existing)?.uid !== deploy.metadata.uid) {
        // A name clash with a ReplicaSet that is not ours: hash again with a higher collisionCount.
        const next = clone(deploy) as KubeObject;
        next.status = { ...statusOf(deploy), collisionCount: collisions + 1 };
        await this.writer.updateStatus(DEPLOYMENTS, next);
      }
      throw error;
    }
  }

  /** The current template's ReplicaSet carries the newest revision (rollback moves an old one forward). */
  private async syncRevision(deploy: Stored, rs: Stored, old: Stored[]): Promise<Stored> {
    const maxOld = Math.max(0, ...old.map(revisionOf));
    let current = rs;
    if (revisionOf(rs) <= maxOld) {
      const next = clone(rs) as KubeObject;
      next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(maxOld + 1) };
      const cause = deploy.metadata.annotations?.[CHANGE_CAUSE];
      if (cause !== undefined) next.metadata.annotations[CHANGE_CAUSE] = cause;
      current = await this.writer.update(REPLICA_SETS, next);
    }
    await this.setDeploymentRevision(deploy, revisionOf(current));
    return current;
  }

  private async setDeploymentRevision(deploy: Stored, revision: number): Promise<void> {
    const latest = this.ctx.store.get(DEPLOYMENTS, deploy.metadata.namespace ?? '', deploy.metadata.name ?? '');
    if (!latest || latest.metadata.annotations?.[REVISION] === String(revision)) return;
    const next = clone(latest) as KubeObject;
    next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(revision) };
    await this.writer.update(DEPLOYMENTS, next);
  }

  private async scale(deploy: Stored, rs: Stored, replicas: number): Promise<Stored> {
    const from = specReplicasOf(rs);
    const [surge] = surgeAndUnavailable(deploy);
    const next = clone(rs) as KubeObject;
    (next.spec as JsonObject).replicas = replicas;
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [DESIRED_REPLICAS]: String(replicasOf(deploy)),
      [MAX_REPLICAS]: String(replicasOf(deploy) + surge),
    };
    if (jsonEqual(next, rs)) return rs;
    const stored = await this.writer.update(REPLICA_SETS, next);
    if (from !== replicas) {
      const verb = replicas > from ? 'up' : 'down';
      this.record(
        deploy,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${verb} replica set ${rs.metadata.name ?? ''} from ${from} to ${replicas}`,
      );
    }
    return stored;
  }

  /** Deletes the oldest empty old ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(deploy: Stored, newRS: Stored | undefined, all: Stored[]): Promise<void> {
    const limit = numberOr(specOf(deploy).revisionHistoryLimit, 10);
    const empty = all
      .filter(
        (rs) =>
          rs !== newRS &&
          !rs.metadata.deletionTimestamp &&
          specReplicasOf(rs) === 0 &&
          numberOr(statusOf(rs).replicas, 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
      await this.writer
        .delete(REPLICA_SETS, rs.metadata.namespace ?? '', rs.metadata.name ?? '')
        .catch(() => undefined);
    }
  }

  private async writeStatus(deploy: Stored, newRS: Stored | undefined, all: Stored[], created: boolean): Promise<void> {
    const latest = this.objects.get(deploy.metadata.namespace ?? '', deploy.metadata.name ?? '') ?? deploy;
    const { status, recheckInMs } = nextStatus(latest, newRS, all, this.ctx.clock.now(), created ? 'created' : 'none');
    if (recheckInMs !== undefined) this.queue.addAfter(objectKey(deploy), recheckInMs);
    if (jsonEqual(status, statusOf(latest))) return;
    const next = clone(latest) as KubeObject;
    next.status = status;
    await this.writer.updateStatus(DEPLOYMENTS, next);
  }
}
