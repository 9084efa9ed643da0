/**
 * Ingress status, as an ingress controller writes it: every Ingress served by
 * the cluster's HTTP entry on 127.0.0.1 gets `status.loadBalancer.ingress`
 * with that address and port, so `kubectl get ingress` shows where to send
 * requests. Until the entry listens, keys wait and are looked at again.
 */
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type KubeObject } from '../store/object';
import type { ControllerContext } from '../machinery/controller-context';

export const INGRESSES = 'networking.k8s.io/ingresses';

export interface IngressAddress {
  readonly ip: string;
  readonly port: number;
}

export class IngressStatusController extends ObjectController {
  constructor(
    ctx: ControllerContext,
    private readonly address: () => IngressAddress | undefined,
  ) {
    super(ctx, {
      name: 'ingress-status-controller',
      manager: 'ingress-controller',
      resource: INGRESSES,
      workers: 1,
      backoff: { baseDelayMs: 200, maxDelayMs: 5000 },
    });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const ingress = this.objects.get(namespace, name);
    if (!ingress || ingress.metadata.deletionTimestamp) return;
    const address = this.address();
    if (!address) {
      this.queue.addAfter(key, 250);
      return;
    }
    const wanted = { ingress: [{ ip: address.ip, ports: [{ port: address.port, protocol: 'TCP' }] }] };
    const status = isObject(ingress.status) ? ingress.status : {};
    if (jsonEqual(status.loadBalancer, wanted)) return;
    const next = clone(ingress) as KubeObject;
    next.status = { ...status, loadBalancer: wanted };
    await this.writer.updateStatus(INGRESSES, next);
  }
}
