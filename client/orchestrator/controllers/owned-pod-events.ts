/**
 * The pod event handlers of a controller that owns pods (sample-controller's
 * handleObject): a pod's controlling owner that this controller `owns` is
 * enqueued, the previous owner too when an update changed it; with `adopts`,
 * an orphan pod that is not being deleted enqueues every owner in its
 * namespace that may adopt it.
 */
import { objectKey, type Informer } from '../machinery/informer';
import type { WorkQueue } from '../machinery/work-queue';
import { isObject, type OwnerReference } from '../store/object';
import type { Stored } from '../store/object-store';
import { controllerRef } from '../machinery/controller-context';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';

export interface OwnedPodEvents {
  pods: Informer;
  owners: Informer;
  queue: WorkQueue;
  /** Whether the controller reference names one of this controller's objects. */
  owns: (ref: OwnerReference) => boolean;
  /** Whether `owner` may adopt the orphan `pod`; without it orphans are left alone. */
  adopts?: (owner: Stored, pod: Stored) => boolean;
}

export function enqueueOwnersOfPods(o: OwnedPodEvents): void {
  const enqueue = (pod: Stored) => {
    const ref = controllerRef(pod);
    const namespace = pod.metadata.namespace ?? '';
    if (ref) {
      if (o.owns(ref)) o.queue.add(`${namespace}/${ref.name}`);
    } else if (o.adopts && !pod.metadata.deletionTimestamp) {
      for (const owner of o.owners.list(namespace)) if (o.adopts(owner, pod)) o.queue.add(objectKey(owner));
    }
  };
  o.pods.addHandlers({
    onAdd: enqueue,
    onUpdate: (old, pod) => {
      enqueue(pod);
      if (controllerRef(old)?.uid !== controllerRef(pod)?.uid) enqueue(old);
    },
    onDelete: enqueue,
  });
}

/** Whether the owner's `spec.selector` selects the pod: who may adopt an orphan. */
export function selectorMatches(owner: Stored, pod: Stored): boolean {
  return labelSelectorMatcher(isObject(owner.spec) ? owner.spec.selector : undefined)(pod.metadata.labels);
}
