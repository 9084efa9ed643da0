/**
 * The node lifecycle controller, as kube-controller-manager's: it watches each
 * node's heartbeats (its Lease's renewTime and its Ready condition's
 * lastHeartbeatTime). A node that shows none for the node monitor grace period
 * (50 s, Kubernetes 1.34's default) gets every condition Unknown
 * (`NodeStatusUnknown`, "Kubelet stopped posting node status.") and a
 * `NodeNotReady` event, and its pods' Ready condition goes False (each pod gets a
 * `NodeNotReady` event), so Services stop sending them traffic. A node whose
 * Ready is Unknown carries the `node.kubernetes.io/unreachable` taint, one whose
 * Ready is False `node.kubernetes.io/not-ready`, both NoSchedule and NoExecute
 * (the NoExecute one with `timeAdded`); a Ready node neither. The taint-eviction
 * controller acts on the NoExecute taints. A node seen for the first time gets a
 * `RegisteredNode` event.
 *
 * The time of the last heartbeat is this controller's own observation (when it
 * saw a renewal change), as in Kubernetes, so a restart of the orchestrator gives
 * every node a full grace period again.
 */
import { rfc3339 } from '../clock';
import type { ControllerContext } from '../machinery/controller-context';
import type { Informer } from '../machinery/informer';
import { NODES, PODS } from '../machinery/informer-factory';
import {
  BY_NODE,
  byNodeName,
  HEALTH_TAINT_KEYS,
  LEASES,
  nodeReadyStatus,
  NODE_LEASE_NAMESPACE,
  NOT_READY_TAINT,
  UNREACHABLE_TAINT,
} from '../machinery/node-lifecycle';
import { ObjectController } from '../machinery/object-controller';
import { setCondition } from '../machinery/pod-conditions';
import { podCondition, podPhase } from '../machinery/pod-state';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';

/** kube-controller-manager's `--node-monitor-grace-period` default in Kubernetes 1.34. */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

const NODE_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export interface NodeLifecycleOptions {
  /** How long a node may go without a heartbeat before it is Unknown (default 50 s). */
  gracePeriodMs?: number;
}

interface Observed {
  /** When this controller last saw a heartbeat change (ms, its clock). */
  probeAt: number;
  /** The heartbeat it saw then: lease renewTime + Ready lastHeartbeatTime (which marking Unknown keeps). */
  heartbeat: string;
  /** The Ready status seen at the last reconcile (for the transition to False). */
  ready: string | undefined;
}

function conditionsOf(node: Stored): JsonObject[] {
  const status = isObject(node.status) ? node.status : {};
  return Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
}

export class NodeLifecycleController extends ObjectController {
  private readonly pods: Informer;
  private readonly leases: Informer;
  private readonly observed = new Map<string, Observed>();
  private readonly gracePeriodMs: number;

  constructor(ctx: ControllerContext, options: NodeLifecycleOptions = {}) {
    super(ctx, { name: 'node-controller', manager: 'node-lifecycle-controller', resource: NODES, workers: 2 });
    this.gracePeriodMs = options.gracePeriodMs ?? NODE_MONITOR_GRACE_PERIOD_MS;
    this.pods = ctx.informers.for(PODS);
    this.pods.addIndexer(BY_NODE, byNodeName);
    this.leases = ctx.informers.for(LEASES);
    const enqueueNode = (lease: Stored) => {
      if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) this.queue.add(lease.metadata.name ?? '');
    };
    this.leases.addHandlers({ onAdd: enqueueNode, onUpdate: (_old, lease) => enqueueNode(lease) });
  }

  private heartbeatOf(node: Stored): string {
    const lease = this.leases.get(NODE_LEASE_NAMESPACE, node.metadata.name ?? '');
    const renew = lease && isObject(lease.spec) ? lease.spec.renewTime : undefined;
    const ready = conditionsOf(node).find((c) => c.type === 'Ready');
    return `${String(renew)}|${String(ready?.lastHeartbeatTime)}`;
  }

  async reconcile(name: string): Promise<void> {
    let node = this.objects.get('', name);
    if (!node) {
      this.observed.delete(name);
      return;
    }
    const now = this.ctx.clock.now();
    const heartbeat = this.heartbeatOf(node);
    let seen = this.observed.get(name);
    if (!seen) {
      seen = { probeAt: now, heartbeat, ready: nodeReadyStatus(node) };
      this.observed.set(name, seen);
      this.record(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    } else if (seen.heartbeat !== heartbeat) {
      seen.probeAt = now;
      seen.heartbeat = heartbeat;
    }
    const silentFor = now - seen.probeAt;
    if (silentFor >= this.gracePeriodMs) {
      const unknown = this.unknownStatus(node, now);
      if (unknown) {
        node = await this.writer.updateStatus(NODES, unknown);
        this.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      }
    } else {
      this.queue.addAfter(name, this.gracePeriodMs - silentFor);
    }
    const ready = nodeReadyStatus(node);
    node = await this.syncTaints(node, ready, now);
    const wasReady = seen.ready;
    seen.ready = ready;
    // Unknown: the kubelet is silent, so its pods are not ready (level-driven). False: the kubelet is
    // alive and posts its pods' status itself, so they are marked once, on the transition (as Kubernetes does).
    if (ready === 'Unknown' || (ready === 'False' && wasReady === 'True')) await this.markPodsNotReady(node, now);
  }

  /** The node with every condition Unknown, or undefined when it already is. */
  private unknownStatus(node: Stored, now: number): KubeObject | undefined {
    const conditions = conditionsOf(node);
    const at = rfc3339(now);
    let status: JsonObject = clone(isObject(node.status) ? node.status : {});
    let changed = false;
    for (const type of NODE_CONDITIONS) {
      const old = conditions.find((c) => c.type === type);
      if (old?.status === 'Unknown' && old.reason === 'NodeStatusUnknown') continue;
      changed = true;
      status = setCondition(status, {
        type,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: old ? 'Kubelet stopped posting node status.' : 'Kubelet never posted node status.',
        lastTransitionTime: at,
      });
      const written = (status.conditions as JsonObject[]).find((c) => c.type === type)!;
      written.lastHeartbeatTime = old?.lastHeartbeatTime ?? at;
    }
    if (!changed) return undefined;
    const next = clone(node) as KubeObject;
    next.status = status;
    return next;
  }

  /** not-ready / unreachable, NoSchedule and NoExecute, as Ready says; other taints are left alone. */
  private async syncTaints(node: Stored, ready: string | undefined, now: number): Promise<Stored> {
    const spec = isObject(node.spec) ? node.spec : {};
    const taints = Array.isArray(spec.taints) ? spec.taints.filter(isObject) : [];
    const key = ready === 'Unknown' ? UNREACHABLE_TAINT : ready === 'False' ? NOT_READY_TAINT : undefined;
    const kept = taints.filter((t) => !HEALTH_TAINT_KEYS.has(String(t.key)) || t.key === key);
    const next = [...kept];
    if (key) {
      for (const effect of ['NoSchedule', 'NoExecute']) {
        if (kept.some((t) => t.key === key && t.effect === effect)) continue;
        next.push({ key, effect, ...(effect === 'NoExecute' ? { timeAdded: rfc3339(now) } : {}) });
      }
    }
    if (jsonEqual(next, taints)) return node;
    const updated = clone(node) as KubeObject;
    const updatedSpec = isObject(updated.spec) ? updated.spec : (updated.spec = {});
    if (next.length > 0) updatedSpec.taints = next;
    else delete updatedSpec.taints;
    return this.writer.update(NODES, updated);
  }

  /** Ready=False on every running pod of the node that is not already so, with a `NodeNotReady` event. */
  private async markPodsNotReady(node: Stored, now: number): Promise<void> {
    const name = node.metadata.name ?? '';
    const writes = this.pods.byIndex(BY_NODE, name).map(async (pod) => {
      const phase = podPhase(pod);
      if (phase === 'Succeeded' || phase === 'Failed') return;
      const ready = podCondition(pod, 'Ready');
      if (!ready || ready.status === 'False') return;
      const next = clone(pod) as KubeObject;
      next.status = setCondition(clone(isObject(pod.status) ? pod.status : {}), {
        ...ready,
        type: 'Ready',
        status: 'False',
        lastTransitionTime: rfc3339(now),
      });
      await this.writer.updateStatus(PODS, next);
      this.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    });
    const failures = (await Promise.allSettled(writes)).filter((r) => r.status === 'rejected');
    if (failures[0]) throw failures[0].reason; // retried with backoff: a pod changed meanwhile
  }
}
