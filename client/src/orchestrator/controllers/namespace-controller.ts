/**
 * Namespace deletion: when a Namespace is terminating (or already gone),
 * everything in it is deleted; then its `kubernetes` finalizer is removed
 * and the Namespace goes.
 */
import { runWorkers, type RunningController } from '../informer/controller-runner';
import type { Informer } from '../informer/informer';
import { NAMESPACES, PODS } from '../informer/informer-factory';
import { WorkQueue } from '../informer/work-queue';
import { clone, isObject, type KubeObject } from '../store/object';
import type { ControllerContext } from './controller-context';
import { GC_RESOURCES } from './garbage-collector';
import { gracePeriodOf } from './replica-set-controller';

const NAMESPACED = [...GC_RESOURCES, '/events'];

export class NamespaceController {
  readonly queue: WorkQueue;
  private readonly namespaces: Informer;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.clock, { baseDelayMs: 200, maxDelayMs: 5000 });
    this.namespaces = ctx.informers.for(NAMESPACES);
    this.namespaces.addHandlers({
      onUpdate: (_old, ns) => {
        if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
      },
      onAdd: (ns) => {
        if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
      },
      onDelete: (ns) => this.queue.add(ns.metadata.name ?? ''),
    });
  }

  run(workers = 1): RunningController {
    return runWorkers('namespace-controller', this.queue, workers, (key) => this.reconcile(key));
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.namespaces.get('', name);
    if (ns && !ns.metadata.deletionTimestamp) return;
    let left = 0;
    for (const resource of NAMESPACED) {
      for (const obj of this.ctx.store.list(resource, name).items) {
        left++;
        if (obj.metadata.deletionTimestamp) continue;
        await this.ctx.store
          .delete(
            resource,
            name,
            obj.metadata.name ?? '',
            resource === PODS ? { gracePeriodSeconds: gracePeriodOf(obj) } : {},
          )
          .catch(() => undefined);
      }
    }
    if (left > 0) {
      // Pods finish their grace period and finalizers run: look again shortly.
      this.queue.addAfter(name, 1000);
      return;
    }
    if (!ns) return;
    const next = clone(ns) as KubeObject;
    next.metadata.finalizers = (ns.metadata.finalizers ?? []).filter((f) => f !== 'kubernetes');
    if (isObject(next.spec) && Array.isArray(next.spec.finalizers))
      next.spec.finalizers = next.spec.finalizers.filter((f) => f !== 'kubernetes');
    await this.ctx.store.update(NAMESPACES, next);
  }
}
