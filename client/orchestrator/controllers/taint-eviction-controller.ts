/**
 * The taint-eviction controller (Kubernetes' taint manager): a pod bound to a
 * node with NoExecute taints is deleted at once when one of them is not
 * tolerated, and otherwise when its shortest matching `tolerationSeconds` has
 * run out (no tolerationSeconds: it stays). The time counts from the taints'
 * `timeAdded` (the earliest of them; for a taint without one, from when it was first seen). Before the delete the pod gets a
 * `TaintManagerEviction` event ("Marking for deletion Pod ns/name") and the
 * `DisruptionTarget` condition (`DeletionByTaintManager`), as in Kubernetes 1.34.
 * The delete is graceful: on a node whose kubelet is silent the pod stays
 * Terminating until the kubelet comes back or someone force-deletes it; its
 * workload controller replaces it meanwhile (a StatefulSet does not: it waits
 * for the name to be free).
 */
import { rfc3339 } from '../clock';
import { controllerRef, type ControllerContext } from '../machinery/controller-context';
import { splitKey, type Informer } from '../machinery/informer';
import { NODES, PODS } from '../machinery/informer-factory';
import { taintsOf, type Taint } from '../machinery/node-fit';
import {
  BY_NODE,
  byNodeName,
  nodeReadyStatus,
  podTolerations,
  timeAddedMs,
  tolerationWindowMs,
} from '../machinery/node-lifecycle';
import { ObjectController, specReplaced } from '../machinery/object-controller';
import { setCondition } from '../machinery/pod-conditions';
import { nodeNameOf, podPhase } from '../machinery/pod-state';
import { StatusError } from '../store/errors';
import { clone, isObject, jsonEqual, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';

export class TaintEvictionController extends ObjectController {
  private readonly nodes: Informer;
  /** When a NoExecute taint without a readable `timeAdded` was first seen (by node, key, value). */
  private readonly seen = new Map<string, number>();

  constructor(ctx: ControllerContext) {
    // As Kubernetes' taint manager, a pod update counts only when it changes the pod's node or
    // tolerations (both in the spec); a status write (Running, Succeeded) changes nothing here.
    super(ctx, { name: 'taint-eviction-controller', resource: PODS, workers: 4, updates: specReplaced });
    this.objects.addIndexer(BY_NODE, byNodeName);
    this.nodes = ctx.informers.for(NODES);
    const enqueuePods = (node: Stored) => {
      for (const pod of this.objects.byIndex(BY_NODE, node.metadata.name ?? '')) this.enqueue(pod);
    };
    this.nodes.addHandlers({
      onAdd: (node) => {
        if (noExecuteTaints(node).length > 0) enqueuePods(node);
      },
      onUpdate: (old, node) => {
        if (!jsonEqual(noExecuteTaints(old), noExecuteTaints(node))) enqueuePods(node);
      },
      onDelete: (node) => {
        const prefix = `${node.metadata.uid ?? ''}\u0000`;
        for (const id of this.seen.keys()) if (id.startsWith(prefix)) this.seen.delete(id);
      },
    });
  }

  /**
   * Only a pod on a node with NoExecute taints: elsewhere reconcile has nothing to do (a taint added
   * later enqueues the node's pods; a pod already counting down stays in the queue). 10,000 pods
   * starting cost 20,000 reconciles and integer checks that all ended at "no taints".
   */
  protected override concerns(pod: Stored): boolean {
    const nodes = this.nodes as Informer | undefined; // unset while the base constructor runs
    if (!nodes) return true;
    const node = nodes.get('', nodeNameOf(pod));
    return node !== undefined && noExecuteTaints(node).length > 0;
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pod = this.objects.get(namespace, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const phase = podPhase(pod);
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const node = this.nodes.get('', nodeNameOf(pod));
    if (!node) return;
    const taints = noExecuteTaints(node);
    if (taints.length === 0) return;
    const window = tolerationWindowMs(podTolerations(pod), taints);
    if (window === Infinity) return;
    const now = this.ctx.clock.now();
    if (window !== undefined) {
      const added = taints.map((t) => timeAddedMs(t) ?? this.firstSeen(node, t, now));
      const due = Math.min(...added) + window;
      if (due > now) {
        this.queue.addAfter(key, due - now);
        return;
      }
    }
    await this.evict(pod, node, now);
  }

  private firstSeen(node: Stored, taint: Taint, now: number): number {
    const id = `${node.metadata.uid ?? ''}\u0000${taint.key}\u0000${taint.value ?? ''}`;
    const at = this.seen.get(id);
    if (at !== undefined) return at;
    this.seen.set(id, now);
    return now;
  }

  private async evict(pod: Stored, node: Stored, now: number): Promise<void> {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    this.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    const next = clone(pod) as KubeObject;
    next.status = setCondition(clone(isObject(pod.status) ? pod.status : {}), {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: rfc3339(now),
    });
    try {
      await this.writer.updateStatus(PODS, next);
      await this.writer.delete(PODS, namespace, name, { preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (error) {
      if (error instanceof StatusError && error.reason === 'NotFound') return; // gone already
      throw error;
    }
    if (controllerRef(pod)?.kind === 'StatefulSet' && nodeReadyStatus(node) !== 'True') {
      const nodeName = node.metadata.name ?? '';
      this.record(
        pod,
        'Warning',
        'TerminatingOnUnreachableNode',
        `Pod ${namespace}/${name} stays Terminating until node ${nodeName} answers again or is deleted, ` +
          `and its StatefulSet makes no replacement meanwhile (a pod's identity must never run twice); ` +
          `to replace it now: kubectl delete pod ${name} -n ${namespace} --force --grace-period=0`,
      );
    }
  }
}

function noExecuteTaints(node: Stored) {
  return taintsOf(node).filter((t) => t.effect === 'NoExecute');
}
