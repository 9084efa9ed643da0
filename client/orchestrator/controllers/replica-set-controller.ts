/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods from the
 * template (creating in slow-start batches, deleting in Kubernetes' rank
 * order), replaces pods that go away, adopts orphan pods its selector
 * matches and releases its pods whose labels stop matching (as client-go's
 * controller ref manager), and reports status. Writes go through admission.
 * The ReplicationController controller is this one with another `ReplicaOwner`
 * (replication-controller-controller.ts): an RC is a ReplicaSet whose selector
 * is a plain label map.
 */
import { splitKey, type Informer } from '../machinery/informer';
import { PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import {
  asError,
  numberOr,
  ownerReferenceTo,
  slowStartBatch,
  type ControllerContext,
} from '../machinery/controller-context';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { byOrphanNamespace, claimPods } from './pod-claims';
import { rankForDeletion } from './pod-ranking';
import { isPodActive, isPodAvailable, isPodReady, qosClass, readySince } from '../machinery/pod-state';

/** At most this many creations or deletions per sync, as kube-controller-manager's burstReplicas. */
const BURST = 500;

/** The kind of owner the controller keeps replicas of. */
export interface ReplicaOwner {
  /** The controller's name (events, managedFields, logs). */
  name: string;
  /** `group/resource` of the owners. */
  resource: string;
  kind: string;
  /** The owner's `spec.selector` as a LabelSelector (undefined selects nothing). */
  selectorOf(spec: JsonObject): unknown;
}

export const REPLICA_SET_OWNER: ReplicaOwner = {
  name: 'replicaset-controller',
  resource: REPLICA_SETS,
  kind: 'ReplicaSet',
  selectorOf: (spec) => spec.selector,
};

export class ReplicaSetController extends ObjectController {
  private readonly pods: Informer;

  constructor(
    ctx: ControllerContext,
    private readonly owner: ReplicaOwner = REPLICA_SET_OWNER,
  ) {
    super(ctx, { name: owner.name, resource: owner.resource, workers: 4 });
    this.pods = this.watchOwned(PODS, {
      owns: (ref) => ref.kind === owner.kind,
      adopts: (candidate, pod) => labelSelectorMatcher(this.selectorOf(candidate))(pod.metadata.labels),
    });
    this.pods.addIndexer('orphan', byOrphanNamespace);
  }

  private selectorOf(owner: Stored): unknown {
    return this.owner.selectorOf(isObject(owner.spec) ? owner.spec : {});
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const rs = this.objects.get(namespace, name);
    if (!rs) return;
    const spec = isObject(rs.spec) ? rs.spec : {};
    const owned = await claimPods({
      owner: rs,
      owned: this.pods.byIndex('controller', rs.metadata.uid ?? ''),
      orphans: this.pods.byIndex('orphan', namespace),
      writer: this.writer,
      current: () => this.ctx.store.get(this.owner.resource, namespace, name),
      selector: this.selectorOf(rs),
    });
    const active = owned.filter(isPodActive);
    const wanted = numberOr(spec.replicas, 1);
    let error: unknown;
    if (!rs.metadata.deletionTimestamp) {
      const diff = active.length - wanted;
      if (diff < 0) error = await this.createPods(rs, Math.min(-diff, BURST));
      else if (diff > 0) error = await this.deletePods(rs, active, Math.min(diff, BURST));
    }
    await this.updateStatus(rs, key);
    if (error !== undefined) throw asError(error);
  }

  private async createPods(rs: Stored, count: number): Promise<unknown> {
    const { done, error } = await slowStartBatch(count, async () => {
      const pod = await this.writer.create(PODS, podFromTemplate(rs));
      this.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    });
    if (error !== undefined) {
      this.record(rs, 'Warning', 'FailedCreate', `Error creating: ${asError(error).message}`);
    }
    return done < count ? (error ?? new Error('not every pod was created')) : undefined;
  }

  private async deletePods(rs: Stored, active: Stored[], count: number): Promise<unknown> {
    const victims = rankForDeletion(active).slice(0, count);
    const results = await Promise.allSettled(
      victims.map(async (pod) => {
        await this.writer.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', {
          preconditions: { uid: pod.metadata.uid ?? '' },
        });
        this.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    return failed?.reason;
  }

  private async updateStatus(rs: Stored, key: string): Promise<void> {
    const current = this.objects.get(rs.metadata.namespace ?? '', rs.metadata.name ?? '') ?? rs;
    const spec = isObject(current.spec) ? current.spec : {};
    const minReady = numberOr(spec.minReadySeconds, 0);
    const now = this.ctx.clock.now();
    const selector = labelSelectorMatcher(this.selectorOf(current));
    // byIndex answers a new array: the active pods are kept in it, in order, rather than copied out.
    const active = this.pods.byIndex('controller', current.metadata.uid ?? '');
    let kept = 0;
    for (let i = 0; i < active.length; i++) {
      const p = active[i]!;
      if (isPodActive(p) && selector(p.metadata.labels)) active[kept++] = p;
    }
    active.length = kept;
    const template = isObject(spec.template) ? spec.template : {};
    const templateLabels = labelSelectorMatcher({
      matchLabels: isObject(template.metadata) ? template.metadata.labels : {},
    });
    let ready = 0;
    let available = 0;
    let soonest = Infinity;
    for (const pod of active) {
      if (!isPodReady(pod)) continue;
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      else soonest = Math.min(soonest, (readySince(pod) ?? now) + minReady * 1000 - now);
    }
    const old = isObject(current.status) ? current.status : {};
    const status: JsonObject = {
      replicas: active.length,
      fullyLabeledReplicas: countOf(active, (p) => templateLabels(p.metadata.labels)),
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: current.metadata.generation ?? 1,
      ...(Array.isArray(old.conditions) && old.conditions.length > 0 ? { conditions: old.conditions } : {}),
    };
    if (soonest !== Infinity) this.queue.addAfter(key, Math.max(soonest, 1) + 1);
    if (jsonEqual(status, old)) return;
    const next = clone(current) as KubeObject;
    next.status = status;
    await this.writer.updateStatus(this.owner.resource, next);
  }
}

/** A new pod from the owner's template: `<owner>-<5 random chars>`, owned (controller reference) by it. */
export function podFromTemplate(rs: Stored): KubeObject {
  const spec = isObject(rs.spec) ? rs.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const meta = isObject(template.metadata) ? template.metadata : {};
  const podSpec = clone(isObject(template.spec) ? template.spec : {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace ?? 'default',
      ...(isObject(meta.labels) ? { labels: clone(meta.labels) as Record<string, string> } : {}),
      ...(isObject(meta.annotations) ? { annotations: clone(meta.annotations) as Record<string, string> } : {}),
      ownerReferences: [ownerReferenceTo(rs)],
    },
    spec: podSpec,
    status: { phase: 'Pending', qosClass: qosClass(podSpec) },
  };
}

/** How many of `items` pass `test` (no filtered copy to count). */
function countOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) if (test(items[i]!)) n++;
  return n;
}
