/**
 * Ingress status, as an ingress controller writes it: every Ingress served by
 * the cluster's HTTP entry on 127.0.0.1 gets `status.loadBalancer.ingress`
 * with that address and port, so `kubectl get ingress` shows where to send
 * requests. Until the entry listens, keys wait and are looked at again.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import type { Informer } from '../machinery/informer';
import { WorkQueue } from '../machinery/work-queue';
import { clone, isObject, jsonEqual, type KubeObject } from '../store/object';
import { writerFor, type ControllerContext } from '../machinery/controller-context';

export const INGRESSES = 'networking.k8s.io/ingresses';

export interface IngressAddress {
  readonly ip: string;
  readonly port: number;
}

export class IngressStatusController {
  readonly queue: WorkQueue;
  private readonly ingresses: Informer;
  private readonly writer: AdmittedWriter;

  constructor(
    ctx: ControllerContext,
    private readonly address: () => IngressAddress | undefined,
  ) {
    this.queue = new WorkQueue(ctx.clock, { baseDelayMs: 200, maxDelayMs: 5000 });
    this.ingresses = ctx.informers.for(INGRESSES);
    this.writer = writerFor(ctx, 'ingress-controller');
    const enqueue = (obj: { metadata: { namespace?: string; name?: string } }) =>
      this.queue.add(`${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`);
    this.ingresses.addHandlers({ onAdd: enqueue, onUpdate: (_old, obj) => enqueue(obj) });
  }

  run(workers = 1): RunningController {
    return runWorkers('ingress-status-controller', this.queue, workers, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const ingress = this.ingresses.get(namespace, name);
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
