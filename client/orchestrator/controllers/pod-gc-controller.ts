/**
 * The pod garbage collector's orphan sweep: a pod bound to a node that no
 * longer exists is deleted (grace period 0: no kubelet is left to stop it),
 * as kube-controller-manager's podgc does for orphaned pods: at once when
 * the node was seen deleted, else after the node has been missing for podgc's
 * quarantine of 40 s. A change to a pod's spec (its binding) enqueues it when its node is missing; a
 * deleted node enqueues the pods bound to it.
 */
import { PODS, NODES } from '../machinery/informer-factory';
import { splitKey, type Informer } from '../machinery/informer';
import { ObjectController, specReplaced } from '../machinery/object-controller';
import type { ControllerContext } from '../machinery/controller-context';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';

const nodeNameOf = (pod: Stored): string =>
  isObject(pod.spec) && typeof pod.spec.nodeName === 'string' ? pod.spec.nodeName : '';

/** How long a pod's node must be missing before the pod goes, unless the node was seen deleted (podgc's quarantineTime). */
export const QUARANTINE_MS = 40_000;

export class PodGcController extends ObjectController {
  private readonly nodes: Informer;
  /** Nodes seen deleted; their pods go at once. */
  private readonly deletedNodes = new Set<string>();
  /** When each pod's node was first found missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(ctx: ControllerContext) {
    // Only a pod's node counts: its status writes (a pod's last write or two) are not looked at.
    super(ctx, {
      name: 'pod-garbage-collector',
      manager: 'kube-controller-manager',
      resource: PODS,
      workers: 1,
      updates: specReplaced,
    });
    this.objects.addIndexer('bound-node', (pod) => [nodeNameOf(pod)]);
    this.nodes = ctx.informers.for(NODES);
    this.nodes.addHandlers({
      onAdd: (node) => this.deletedNodes.delete(node.metadata.name ?? ''),
      onDelete: (node) => {
        this.deletedNodes.add(node.metadata.name ?? '');
        for (const pod of this.objects.byIndex('bound-node', node.metadata.name ?? '')) this.enqueue(pod);
      },
    });
  }

  /**
   * Only a pod bound to a node the informer does not hold: for any other reconcile has nothing to do
   * (a node deleted later enqueues its pods).
   */
  protected override concerns(pod: Stored): boolean {
    const nodes = this.nodes as Informer | undefined; // unset while the base constructor runs
    if (!nodes) return true;
    const node = nodeNameOf(pod);
    return node !== '' && nodes.get('', node) === undefined;
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pod = this.objects.get(namespace, name);
    const node = pod ? nodeNameOf(pod) : '';
    if (!pod || node === '' || this.nodes.get('', node) || this.ctx.store.get(NODES, '', node)) {
      this.missingSince.delete(key);
      return;
    }
    const now = this.ctx.clock.now();
    const since = this.missingSince.get(key) ?? now;
    this.missingSince.set(key, since);
    if (!this.deletedNodes.has(node) && now - since < QUARANTINE_MS) {
      this.queue.addAfter(key, since + QUARANTINE_MS - now);
      return;
    }
    this.missingSince.delete(key);
    this.record(pod, 'Normal', 'PodGC', `deleting pod bound to node "${node}", which no longer exists`);
    await this.writer
      .delete(PODS, namespace, name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid ?? '' },
      })
      .catch((error: unknown) => {
        if (!(isObject(error) && (error as { reason?: unknown }).reason === 'NotFound')) throw error;
      });
  }
}
