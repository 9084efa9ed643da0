/**
 * The node autoscaler, after cluster-autoscaler, for the one node group
 * `default`: pods the scheduler leaves Pending for lack of cpu or memory
 * (PodScheduled False/Unschedulable, "Insufficient ...") make it add nodes
 * from the template, up to `maxNodes` (TriggeredScaleUp on each pod, or
 * NotTriggerScaleUp with the reason); a node whose pods' requests stay under
 * the utilization threshold for the unneeded time, at least the delay after
 * the last scale-up, whose pods can move (replicated, no local storage, their
 * budgets allow it, room elsewhere) is tainted, drained by evictions and
 * deleted (ScaleDown events), never below `minNodes`. It reconciles one key
 * and writes its state to the `cluster-autoscaler-status` ConfigMap.
 */
import { evictPod, PDBS } from '../api/eviction-handler';
import type { ControllerContext } from '../machinery/controller-context';
import { NODES, PODS } from '../machinery/informer-factory';
import type { Informer } from '../machinery/informer';
import { ObjectController } from '../machinery/object-controller';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { clone, isObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import {
  allocatableOf,
  blocksRemoval,
  fitElsewhere,
  packOntoNewNodes,
  podRequest,
  utilization,
  type Amount,
} from './autoscaler-plan';
import { autoscalerStatus } from './autoscaler-status';
import { staysOnDrain } from '../../../server/kube-model/drain-pods';

export const NODE_GROUP_LABEL = 'kube-workbench.io/node-group';
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
const KEY = 'cluster';
/** cluster-autoscaler's --max-empty-bulk-delete. */
const MAX_EMPTY_BULK_DELETE = 10;
const GROUP = 'default';

/** A node's capacity (the kubelet's NodeResources shape). */
export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
}

export interface AutoscalerOptions {
  minNodes: number;
  maxNodes: number;
  template: NodeCapacity;
  /** cluster-autoscaler's scan interval (10 s). */
  scanIntervalMs?: number;
  /** scale-down-unneeded-time (10 min). */
  unneededMs?: number;
  /** scale-down-delay-after-add (10 min). */
  delayAfterAddMs?: number;
  /** scale-down-utilization-threshold (0.5). */
  threshold?: number;
  /** skip-nodes-with-local-storage (true). */
  skipLocalStorage?: boolean;
}

const conditionOf = (pod: Stored, type: string) => {
  const list = isObject(pod.status) && Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  return list.filter(isObject).find((c) => c.type === type);
};
const nodeNameOf = (pod: Stored) =>
  isObject(pod.spec) && typeof pod.spec.nodeName === 'string' ? pod.spec.nodeName : '';
const isActive = (pod: Stored) => {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
};
const isReady = (node: Stored) => {
  const list = isObject(node.status) && Array.isArray(node.status.conditions) ? node.status.conditions : [];
  return list.filter(isObject).some((c) => c.type === 'Ready' && c.status === 'True');
};

/** Pending because no node has room: the scheduler's Insufficient cpu/memory reasons. */
export function wantsRoom(pod: Stored): boolean {
  if (nodeNameOf(pod) !== '' || !isActive(pod)) return false;
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return false;
  return typeof scheduled.message === 'string' && /Insufficient (cpu|memory)/.test(scheduled.message);
}

export class NodeAutoscaler extends ObjectController {
  private readonly pods: Informer;
  private readonly budgets: Informer;
  private readonly o: Required<AutoscalerOptions>;
  private lastScaleUp = -Infinity;
  private readonly unneededSince = new Map<string, number>();
  private readonly draining = new Set<string>();
  /** The last NotTriggerScaleUp reason told per pod uid, so it is told once. */
  private readonly told = new Map<string, string>();
  private lastStatus = '';

  constructor(ctx: ControllerContext, options: AutoscalerOptions) {
    super(ctx, { name: 'cluster-autoscaler', resource: NODES, workers: 1 });
    this.o = {
      scanIntervalMs: 10_000,
      unneededMs: 600_000,
      delayAfterAddMs: 600_000,
      threshold: 0.5,
      skipLocalStorage: true,
      ...options,
    };
    this.pods = ctx.informers.for(PODS);
    this.budgets = ctx.informers.for(PDBS);
    const poke = () => this.queue.add(KEY);
    this.pods.addHandlers({ onAdd: poke, onUpdate: poke, onDelete: poke });
  }

  protected override enqueue(): void {
    this.queue.add(KEY);
  }

  /** The group's nodes, without those being removed (deleting, or tainted for removal). */
  private groupNodes(): Stored[] {
    const tainted = (n: Stored) =>
      isObject(n.spec) &&
      Array.isArray(n.spec.taints) &&
      n.spec.taints.some((t) => isObject(t) && t.key === TO_BE_DELETED_TAINT);
    return this.objects
      .list('')
      .filter((n) => n.metadata.labels?.[NODE_GROUP_LABEL] === GROUP && !n.metadata.deletionTimestamp && !tainted(n));
  }

  async reconcile(): Promise<void> {
    const now = this.ctx.clock.now();
    this.queue.addAfter(KEY, this.o.scanIntervalMs);
    const pods = this.pods.list();
    await this.finishDrains(pods);
    const nodes = this.groupNodes().filter((n) => !this.draining.has(n.metadata.name ?? ''));
    const scaledUp = await this.scaleUp(nodes, pods, now);
    const candidates = scaledUp ? [] : this.unneeded(nodes, pods, now);
    if (!scaledUp) await this.scaleDown(nodes, pods, candidates, now);
    await this.writeStatus(nodes, candidates.length, scaledUp, now);
  }

  private async scaleUp(nodes: Stored[], pods: Stored[], now: number): Promise<boolean> {
    const pending = pods.filter(wantsRoom);
    if (pending.length === 0) return false;
    // Nodes still starting will take some of them: wait for them first.
    if (nodes.some((n) => !isReady(n))) return true;
    const template = {
      milliCpu: allocatableOf(this.templateNode('')).milliCpu,
      memory: allocatableOf(this.templateNode('')).memory,
    };
    const plan = packOntoNewNodes(pending, template);
    for (const pod of plan.tooBig) {
      const r = podRequest(pod);
      const reason = r.milliCpu > template.milliCpu ? 'Insufficient cpu' : 'Insufficient memory';
      this.tellOnce(pod, `pod didn't trigger scale-up: 1 ${reason}`);
    }
    const room = Math.max(0, this.o.maxNodes - nodes.length);
    const add = Math.min(plan.nodes, room);
    if (add === 0) {
      for (const pod of plan.placed) this.tellOnce(pod, "pod didn't trigger scale-up: 1 max node group size reached");
      return false;
    }
    const before = nodes.length;
    const after = before + add;
    const taken = new Set(this.objects.list('').map((n) => n.metadata.name));
    let index = 1;
    for (let i = 0; i < add; i++) {
      while (taken.has(`kube-workbench-node-${index}`)) index++;
      const name = `kube-workbench-node-${index}`;
      taken.add(name);
      await this.writer.create(NODES, this.templateNode(name));
    }
    this.lastScaleUp = now;
    for (const pod of plan.placed)
      this.record(
        pod,
        'Normal',
        'TriggeredScaleUp',
        `pod triggered scale-up: [{${GROUP} ${before}->${after} (max: ${this.o.maxNodes})}]`,
      );
    return true;
  }

  private tellOnce(pod: Stored, message: string): void {
    const uid = pod.metadata.uid ?? '';
    if (this.told.get(uid) === message) return;
    this.told.set(uid, message);
    this.record(pod, 'Normal', 'NotTriggerScaleUp', message);
  }

  private templateNode(name: string): KubeObject {
    const r = this.o.template;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { [NODE_GROUP_LABEL]: GROUP } },
      status: { capacity: { ...r }, allocatable: { ...r } },
    };
  }

  /** Nodes under the threshold for the unneeded time, least used first. */
  private unneeded(nodes: Stored[], pods: Stored[], now: number): Stored[] {
    const out: { node: Stored; use: number }[] = [];
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      const on = pods.filter((p) => nodeNameOf(p) === name && isActive(p));
      const use = utilization(on, allocatableOf(node));
      if (!isReady(node) || use >= this.o.threshold || this.draining.has(name)) {
        this.unneededSince.delete(name);
        continue;
      }
      const since = this.unneededSince.get(name) ?? now;
      this.unneededSince.set(name, since);
      if (now - since >= this.o.unneededMs) out.push({ node, use });
    }
    return out.sort((a, b) => a.use - b.use).map((x) => x.node);
  }

  private budgetAllows(pod: Stored): boolean {
    for (const pdb of this.budgets.list(pod.metadata.namespace ?? '')) {
      if (!isObject(pdb.spec) || !labelSelectorMatcher(pdb.spec.selector)(pod.metadata.labels)) continue;
      const allowed = isObject(pdb.status) ? pdb.status.disruptionsAllowed : 0;
      if (typeof allowed !== 'number' || allowed < 1) return false;
    }
    return true;
  }

  private async scaleDown(nodes: Stored[], pods: Stored[], candidates: Stored[], now: number): Promise<void> {
    if (now - this.lastScaleUp < this.o.delayAfterAddMs || this.draining.size > 0) return;
    if (nodes.length <= this.o.minNodes) return;
    const movingOf = (node: Stored) =>
      pods.filter((p) => nodeNameOf(p) === node.metadata.name && isActive(p) && !staysOnDrain(p));
    // Empty nodes go together, up to cluster-autoscaler's max-empty-bulk-delete (10), never below the minimum.
    const empty = candidates
      .filter((n) => movingOf(n).length === 0)
      .slice(0, Math.min(MAX_EMPTY_BULK_DELETE, nodes.length - this.o.minNodes));
    if (empty.length > 0) {
      for (const node of empty) await this.drain(node, []);
      await this.finishDrains(pods);
      return;
    }
    for (const node of candidates) {
      const moving = movingOf(node);
      if (moving.some((p) => blocksRemoval(p, this.o) !== undefined || !this.budgetAllows(p))) continue;
      const free: Amount[] = nodes
        .filter((n) => n !== node && isReady(n) && !(isObject(n.spec) && n.spec.unschedulable === true))
        .map((n) => {
          const alloc = allocatableOf(n);
          for (const p of pods.filter((q) => nodeNameOf(q) === n.metadata.name && isActive(q))) {
            const r = podRequest(p);
            alloc.milliCpu -= r.milliCpu;
            alloc.memory -= r.memory;
          }
          return alloc;
        });
      if (!fitElsewhere(moving, free)) continue;
      await this.drain(node, moving);
      return; // one node at a time
    }
  }

  private async drain(node: Stored, pods: Stored[]): Promise<void> {
    const name = node.metadata.name ?? '';
    const next = clone(node) as KubeObject;
    const spec = (isObject(next.spec) ? next.spec : (next.spec = {})) as Record<string, unknown>;
    const taints: unknown[] = Array.isArray(spec.taints) ? (spec.taints as unknown[]) : [];
    spec.taints = [
      ...taints,
      { key: TO_BE_DELETED_TAINT, value: String(Math.floor(this.ctx.clock.now() / 1000)), effect: 'NoSchedule' },
    ];
    await this.writer.update(NODES, next);
    this.draining.add(name);
    this.unneededSince.delete(name);
    this.record(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
    for (const pod of pods) {
      this.record(pod, 'Normal', 'ScaleDown', 'deleting pod for node scale down');
      await evictPod(this.ctx.api, pod).catch((error: unknown) => {
        this.record(
          node,
          'Warning',
          'ScaleDownFailed',
          `failed to evict pod ${pod.metadata.name ?? ''}: ${String((error as Error).message)}`,
        );
      });
    }
  }

  /** Nodes being drained whose pods are gone are deleted. */
  private async finishDrains(pods: Stored[]): Promise<void> {
    for (const name of [...this.draining]) {
      const node = this.objects.get('', name);
      if (!node) {
        this.draining.delete(name);
        continue;
      }
      const left = pods.filter((p) => nodeNameOf(p) === name && isActive(p) && !staysOnDrain(p));
      if (left.length > 0) continue;
      await this.writer.delete(NODES, '', name);
      this.draining.delete(name);
      this.record(node, 'Normal', 'ScaleDown', 'node removed by cluster autoscaler');
    }
  }

  private async writeStatus(nodes: Stored[], candidates: number, scalingUp: boolean, now: number): Promise<void> {
    const text = autoscalerStatus({
      ready: nodes.filter(isReady).length,
      registered: nodes.length,
      minNodes: this.o.minNodes,
      maxNodes: this.o.maxNodes,
      scaleUp: scalingUp ? 'InProgress' : 'NoActivity',
      scaleDownCandidates: candidates + this.draining.size,
    });
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    const data = { status: `time: ${new Date(now).toISOString()}\n${text}` };
    const current = this.ctx.store.get('/configmaps', 'kube-system', 'cluster-autoscaler-status');
    if (!current) {
      await this.writer.create('/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cluster-autoscaler-status', namespace: 'kube-system' },
        data,
      });
      return;
    }
    const next = clone(current) as KubeObject;
    next.data = data;
    await this.writer.update('/configmaps', next);
  }
}
