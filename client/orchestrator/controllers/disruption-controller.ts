/**
 * The disruption controller: keeps each PodDisruptionBudget's status true
 * (`expectedPods`, `desiredHealthy`, `currentHealthy`, `disruptionsAllowed`,
 * `disruptedPods`, `observedGeneration`, condition `DisruptionAllowed`), the
 * numbers the eviction subresource decides by. A change to a pod enqueues
 * the budgets that select it; an eviction recorded in `disruptedPods` is
 * looked at again when it times out. When the expected count cannot be
 * worked out (a pod without a controller that has a scale) the budget fails
 * safe: no disruption allowed, reason SyncFailed, as Kubernetes does.
 */
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { PDBS } from '../api/eviction-handler';
import { controllerRef, numberOr, type ControllerContext } from '../machinery/controller-context';
import { splitKey, type Informer } from '../machinery/informer';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { setCondition } from '../machinery/pod-conditions';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { budgetNumbers, type BudgetNumbers } from './disruption-budget';
import { STATEFUL_SETS } from './controller-history';

export { PDBS };

export class DisruptionController extends ObjectController {
  private readonly pods: Informer;
  private readonly replicaSets: Informer;
  private readonly deployments: Informer;
  private readonly statefulSets: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'disruption-controller', manager: 'kube-controller-manager', resource: PDBS, workers: 2 });
    this.pods = ctx.informers.for(PODS);
    this.replicaSets = ctx.informers.for(REPLICA_SETS);
    this.deployments = ctx.informers.for(DEPLOYMENTS);
    this.statefulSets = ctx.informers.for(STATEFUL_SETS);
    const enqueueBudgetsOf = (pod: Stored) => {
      for (const pdb of this.objects.list(pod.metadata.namespace ?? '')) if (this.selects(pdb, pod)) this.enqueue(pdb);
    };
    this.pods.addHandlers({
      onAdd: enqueueBudgetsOf,
      onUpdate: (old, pod) => {
        enqueueBudgetsOf(pod);
        enqueueBudgetsOf(old);
      },
      onDelete: enqueueBudgetsOf,
    });
  }

  private selects(pdb: Stored, pod: Stored): boolean {
    return isObject(pdb.spec) && labelSelectorMatcher(pdb.spec.selector)(pod.metadata.labels);
  }

  /** The sum of `replicas` over the distinct controllers of `pods` (a ReplicaSet of a Deployment counts as its Deployment). */
  private expectedScale(pods: readonly Stored[]): number {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerRef(pod);
      const name = pod.metadata.name ?? '';
      if (!ref) throw new Error(`found no controller ref for pod "${name}"`);
      const namespace = pod.metadata.namespace ?? '';
      let owner: Stored | undefined;
      if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
        const rs = this.replicaSets.get(namespace, ref.name);
        const up = rs && rs.metadata.uid === ref.uid ? controllerRef(rs) : undefined;
        const deployment = up?.kind === 'Deployment' ? this.deployments.get(namespace, up.name) : undefined;
        owner = deployment && deployment.metadata.uid === up?.uid ? deployment : rs;
      } else if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
        owner = this.statefulSets.get(namespace, ref.name);
      }
      if (!owner || (owner.kind !== 'Deployment' && owner.metadata.uid !== ref.uid))
        throw new Error(`found no controllers for pod "${name}"`);
      const spec = isObject(owner.spec) ? owner.spec : {};
      seen.set(owner.metadata.uid ?? '', numberOr(spec.replicas, 1));
    }
    let total = 0;
    for (const replicas of seen.values()) total += replicas;
    return total;
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pdb = this.objects.get(namespace, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const pods = this.pods.list(namespace).filter((pod) => this.selects(pdb, pod));
    if (pods.length === 0) this.record(pdb, 'Normal', 'NoPods', 'No matching pods found');
    const now = this.ctx.clock.now();
    let numbers: BudgetNumbers | undefined;
    let failure: string | undefined;
    try {
      numbers = budgetNumbers(pdb, pods, () => this.expectedScale(pods), now);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      this.record(
        pdb,
        'Warning',
        'CalculateExpectedPodCountFailed',
        `Failed to calculate the number of expected pods: ${failure}`,
      );
    }
    const status: JsonObject = isObject(pdb.status) ? { ...pdb.status } : {};
    let next: JsonObject;
    if (numbers) {
      const { disruptedPods, expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed } = numbers;
      next = { ...status, disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods };
      if (Object.keys(disruptedPods).length > 0) next.disruptedPods = disruptedPods;
      else delete next.disruptedPods;
      next = this.allowedCondition(next, pdb, disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods', '');
      if (numbers.recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, numbers.recheckAt - now));
    } else {
      next = this.allowedCondition({ ...status, disruptionsAllowed: 0 }, pdb, 'SyncFailed', failure ?? '');
    }
    next.observedGeneration = pdb.metadata.generation ?? 0;
    if (jsonEqual(next, pdb.status ?? {})) return;
    const updated = clone(pdb) as KubeObject;
    updated.status = next;
    await this.writer.updateStatus(PDBS, updated);
  }

  private allowedCondition(status: JsonObject, pdb: Stored, reason: string, message: string): JsonObject {
    const allowed = reason === 'SufficientPods';
    const condition = {
      type: 'DisruptionAllowed',
      status: allowed ? ('True' as const) : ('False' as const),
      observedGeneration: pdb.metadata.generation ?? 0,
      lastTransitionTime: new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      reason,
      message,
    };
    return setCondition(status, condition);
  }
}
