/**
 * Namespace deletion, as kube-controller-manager's namespace controller: a
 * deleted Namespace stays `Terminating` (held by `spec.finalizers:
 * [kubernetes]`) while everything in it is deleted, every namespaced kind the
 * API serves; once nothing is left the `kubernetes` finalizer is removed and
 * the store lets the Namespace go.
 */
import { storeKey } from '../api/registry';
import { NAMESPACES } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, type KubeObject } from '../store/object';
import type { ControllerContext } from '../machinery/controller-context';

export const KUBERNETES_FINALIZER = 'kubernetes';
/** How soon a terminating namespace with objects left is looked at again. */
const RECHECK_MS = 250;

export class NamespaceController extends ObjectController {
  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'namespace-controller',
      resource: NAMESPACES,
      workers: 1,
      backoff: { baseDelayMs: 200, maxDelayMs: 5000 },
    });
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.objects.get('', name);
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
