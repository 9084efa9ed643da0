/**
 * The ReplicationController controller: the ReplicaSet controller's code
 * (replica-set-controller.ts) for owners whose `spec.selector` is a plain
 * label map, an equality selector, as Kubernetes runs its ReplicaSet
 * controller for RCs. Pods get a controller reference to the RC, so the
 * garbage collector and `kubectl delete rc` cascade to them.
 */
import type { ControllerContext } from '../machinery/controller-context';
import { REPLICATION_CONTROLLERS } from '../machinery/informer-factory';
import { isObject, type JsonObject } from '../store/object';
import { ReplicaSetController, type ReplicaOwner } from './replica-set-controller';

/** An RC's selector as a LabelSelector; an empty or malformed one selects nothing. */
export function equalitySelector(spec: JsonObject): unknown {
  const selector = spec.selector;
  if (!isObject(selector) || Object.keys(selector).length === 0) return undefined;
  return { matchLabels: selector };
}

export const REPLICATION_CONTROLLER_OWNER: ReplicaOwner = {
  name: 'replication-controller',
  resource: REPLICATION_CONTROLLERS,
  kind: 'ReplicationController',
  selectorOf: equalitySelector,
};

export class ReplicationControllerController extends ReplicaSetController {
  constructor(ctx: ControllerContext) {
    super(ctx, REPLICATION_CONTROLLER_OWNER);
  }
}
