/**
 * Namespace deletion, as kube-controller-manager's namespace controller: a
 * deleted Namespace stays `Terminating` (held by `spec.finalizers:
 * [kubernetes]`) while everything in it is deleted, every namespaced kind the
 * API serves; once nothing is left the `kubernetes` finalizer is removed and
 * the store lets the Namespace go.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { storeKey } from '../api/registry';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import type { Informer } from '../machinery/informer';
import { NAMESPACES } from '../machinery/informer-factory';
import { WorkQueue } from '../machinery/work-queue';
import { clone, isObject, type KubeObject } from '../store/object';
import { writerFor, type ControllerContext } from '../machinery/controller-context';

export const KUBERNETES_FINALIZER = 'kubernetes';
/** How soon a terminating namespace with objects left is looked at again. */
const RECHECK_MS = 250;

export class NamespaceController {
  readonly queue: WorkQueue;
  private readonly namespaces: Informer;
  private readonly writer: AdmittedWriter;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.clock, { baseDelayMs: 200, maxDelayMs: 5000 });
    this.namespaces = ctx.informers.for(NAMESPACES);
    this.writer = writerFor(ctx, 'namespace-controller');
    const enqueue = (ns: { metadata: { name?: string; deletionTimestamp?: string } }) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.namespaces.addHandlers({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  run(workers = 1): RunningController {
    return runWorkers('namespace-controller', this.queue, workers, (key) => this.reconcile(key));
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.namespaces.get('', name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let left = 0;
    for (const def of this.ctx.api.registry.resources) {
      if (!def.namespaced) continue;
      const resource = storeKey(def);
      for (const obj of this.ctx.store.list(resource, name).items) {
        left++;
        if (obj.metadata.deletionTimestamp) continue;
        await this.writer.delete(resource, name, obj.metadata.name ?? '').catch(() => undefined);
      }
    }
    if (left > 0) {
      // Pods finish their grace period and finalizers run: look again shortly.
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    const latest = this.ctx.store.get(NAMESPACES, '', name);
    if (!latest) return;
    const next = clone(latest) as KubeObject;
    if (isObject(next.spec) && Array.isArray(next.spec.finalizers)) {
      next.spec.finalizers = next.spec.finalizers.filter((f) => f !== KUBERNETES_FINALIZER);
    }
    await this.writer.update(NAMESPACES, next);
  }
}
