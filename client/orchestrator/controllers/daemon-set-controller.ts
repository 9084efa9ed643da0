/**
 * The DaemonSet controller: one pod per node that should run it (its
 * nodeSelector and required node affinity match, its taints are tolerated,
 * with the tolerations Kubernetes adds to daemon pods), each pinned to its
 * node by a required node affinity on the node's name so the scheduler binds
 * it there; pods on nodes that no longer qualify, or that are gone, are
 * deleted; failed pods are replaced. A template change is a new
 * ControllerRevision whose hash labels the new pods; RollingUpdate replaces
 * old pods within maxUnavailable (or maxSurge: new pod first). Status counts
 * as Kubernetes' do. Level-driven: one DaemonSet per sync, through admission.
 */
import { objectKey, splitKey, type Informer } from '../machinery/informer';
import { NODES, PODS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { asError, numberOr, slowStartBatch, type ControllerContext } from '../machinery/controller-context';
import { ControllerHistory, DAEMON_SETS, REVISION_LABEL } from './controller-history';
import { daemonSetStatus, manage, rollingParams, rollingUpdate, type NodeState, type Plan } from './daemon-set-plan';
import { daemonPod, placementOn, targetNode } from './daemon-set-pods';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { byOrphanNamespace, claimPods, selectorMatches } from './pod-claims';
import { isPodAvailable, isPodReady } from '../machinery/pod-state';

export class DaemonSetController extends ObjectController {
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly history: ControllerHistory;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'daemonset-controller', resource: DAEMON_SETS, workers: 4 });
    this.pods = this.watchOwned(PODS, { owns: (ref) => ref.kind === 'DaemonSet', adopts: selectorMatches });
    this.pods.addIndexer('orphan', byOrphanNamespace);
    this.nodes = ctx.informers.for(NODES);
    this.history = ControllerHistory.of(ctx, this.writer, DAEMON_SETS, REVISION_LABEL);
    const everySet = () => this.objects.list().forEach((ds) => this.enqueue(ds));
    this.nodes.addHandlers({
      onAdd: everySet,
      onUpdate: (old, node) => {
        if (!jsonEqual(old.metadata.labels, node.metadata.labels) || !jsonEqual(old.spec, node.spec)) everySet();
      },
      onDelete: everySet,
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const ds = this.objects.get(namespace, name);
    if (!ds) return;
    const claimed = await claimPods({
      owner: ds,
      owned: this.pods.byIndex('controller', ds.metadata.uid ?? ''),
      orphans: this.pods.byIndex('orphan', namespace),
      writer: this.writer,
      current: () => this.ctx.store.get(DAEMON_SETS, namespace, name),
    });
    const revisions = await this.history.sync(ds);
    const hash = revisions.update.metadata.labels?.[REVISION_LABEL] ?? '';
    let error: unknown;
    if (!ds.metadata.deletionTimestamp) {
      try {
        const { states, strays } = this.nodeStates(ds, claimed);
        const params = rollingParams(ds, states.filter((s) => s.shouldRun).length);
        const plan = manage(states, hash, params.maxSurge > 0);
        plan.delete.push(...strays);
        const strategy = isObject(ds.spec) && isObject(ds.spec.updateStrategy) ? ds.spec.updateStrategy : {};
        const idle = plan.create.length === 0 && plan.delete.length === 0;
        if (idle && strategy.type !== 'OnDelete') {
          const minReady = numberOr(isObject(ds.spec) ? ds.spec.minReadySeconds : undefined, 0);
          const now = this.ctx.clock.now();
          await this.carryOut(
            ds,
            rollingUpdate(states, hash, params, (p) => isPodAvailable(p, minReady, now)),
            hash,
          );
        } else await this.carryOut(ds, plan, hash);
      } catch (e) {
        error = e;
      }
    }
    await this.writeStatus(ds, hash);
    const live = new Set([revisions.update.metadata.name ?? '']);
    const used = new Set(this.podsOf(ds).map((p) => p.metadata.labels?.[REVISION_LABEL] ?? ''));
    for (const cr of revisions.all)
      if (used.has(cr.metadata.labels?.[REVISION_LABEL] ?? '')) live.add(cr.metadata.name ?? '');
    const limit = numberOr(isObject(ds.spec) ? ds.spec.revisionHistoryLimit : undefined, 10);
    await this.history.truncate(revisions.all, live, limit);
    if (error !== undefined) throw asError(error);
  }

  private podsOf(ds: Stored): Stored[] {
    const matches = labelSelectorMatcher(isObject(ds.spec) ? ds.spec.selector : undefined);
    return this.pods.byIndex('controller', ds.metadata.uid ?? '').filter((p) => matches(p.metadata.labels));
  }

  /** Each node's placement and daemon pods; pods for nodes that do not exist are strays. */
  private nodeStates(ds: Stored, pods: readonly Stored[]): { states: NodeState[]; strays: Stored[] } {
    const byNode = new Map<string, Stored[]>();
    for (const pod of pods) {
      const node = targetNode(pod);
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const states = this.nodes.list().map((node) => {
      const name = node.metadata.name ?? '';
      const placement = placementOn(ds, node);
      const state: NodeState = { node: name, ...placement, pods: byNode.get(name) ?? [] };
      byNode.delete(name);
      return state;
    });
    const strays = [...byNode.values()].flat().filter((p) => !p.metadata.deletionTimestamp);
    return { states, strays };
  }

  private async carryOut(ds: Stored, plan: Plan, hash: string): Promise<void> {
    const namespace = ds.metadata.namespace ?? '';
    for (const pod of plan.failed)
      this.record(
        ds,
        'Warning',
        'FailedDaemonPod',
        `Found failed daemon pod ${namespace}/${pod.metadata.name ?? ''} on node ${targetNode(pod)}, will try to kill it`,
      );
    const deletes = await Promise.allSettled(
      plan.delete.map(async (pod) => {
        await this.writer.delete(PODS, namespace, pod.metadata.name ?? '', {
          preconditions: { uid: pod.metadata.uid ?? '' },
        });
        this.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
      }),
    );
    const nodes = [...plan.create];
    const { error } = await slowStartBatch(nodes.length, async () => {
      const pod = await this.writer.create(PODS, daemonPod(ds, nodes.shift() ?? '', hash));
      this.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
    });
    if (error !== undefined) this.record(ds, 'Warning', 'FailedCreate', `Error creating: ${asError(error).message}`);
    const failed = deletes.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (error !== undefined || failed) throw asError(error ?? failed?.reason);
  }

  private async writeStatus(ds: Stored, hash: string): Promise<void> {
    const latest = this.objects.get(ds.metadata.namespace ?? '', ds.metadata.name ?? '') ?? ds;
    const { states } = this.nodeStates(latest, this.podsOf(latest));
    const now = this.ctx.clock.now();
    const status = daemonSetStatus(latest, states, hash, now);
    const minReady = numberOr(isObject(latest.spec) ? latest.spec.minReadySeconds : undefined, 0);
    if (minReady > 0 && states.some((s) => s.pods.some((p) => isPodReady(p) && !isPodAvailable(p, minReady, now))))
      this.queue.addAfter(objectKey(latest), minReady * 1000);
    const old = isObject(latest.status) ? latest.status : {};
    if (Array.isArray(old.conditions) && old.conditions.length > 0) status.conditions = old.conditions;
    if (jsonEqual(status, old)) return;
    const next = clone(latest) as KubeObject;
    next.status = status;
    await this.writer.updateStatus(DAEMON_SETS, next);
  }
}
