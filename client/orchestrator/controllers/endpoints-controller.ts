/**
 * The Endpoints controller: for every Service with a selector, an Endpoints
 * object of the same name listing ready pods in `addresses` and the others in
 * `notReadyAddresses` (all in `addresses` with publishNotReadyAddresses),
 * grouped into subsets by their resolved ports.
 */
import { splitKey, type Informer } from '../machinery/informer';
import { ENDPOINTS, PODS, SERVICES } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { ControllerContext } from '../machinery/controller-context';
import { nodeOf, serviceEndpoints, ServiceIndex, targetRef, watchPodsForServices } from './service-endpoints';

export class EndpointsController extends ObjectController {
  private readonly pods: Informer;
  private readonly endpoints: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'endpoints-controller', manager: 'endpoint-controller', resource: SERVICES, workers: 2 });
    this.pods = ctx.informers.for(PODS);
    this.endpoints = ctx.informers.for(ENDPOINTS);
    watchPodsForServices(this.pods, new ServiceIndex(this.objects), (key) => this.queue.add(key));
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const service = this.objects.get(namespace, name);
    const existing = this.endpoints.get(namespace, name);
    const spec = service && isObject(service.spec) ? service.spec : undefined;
    if (!service || !spec || !isObject(spec.selector) || Object.keys(spec.selector).length === 0) {
      // Without a selector the user manages Endpoints; without the Service they go.
      if (!service && existing) await this.writer.delete(ENDPOINTS, namespace, name).catch(() => undefined);
      return;
    }
    const publishNotReady = spec.publishNotReadyAddresses === true;
    const bySignature = new Map<
      string,
      { addresses: JsonObject[]; notReadyAddresses: JsonObject[]; ports: JsonObject[] }
    >();
    for (const ep of serviceEndpoints(service, this.pods.list(namespace))) {
      if (ep.terminating && !publishNotReady) continue;
      const ports = [...ep.ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      const signature = JSON.stringify(ports);
      let subset = bySignature.get(signature);
      if (!subset)
        bySignature.set(
          signature,
          (subset = { addresses: [], notReadyAddresses: [], ports: ports as unknown as JsonObject[] }),
        );
      const address: JsonObject = {
        ip: ep.ip,
        ...(nodeOf(ep.pod) ? { nodeName: nodeOf(ep.pod) } : {}),
        targetRef: targetRef(ep.pod),
      };
      if (ep.ready || publishNotReady) subset.addresses.push(address);
      else subset.notReadyAddresses.push(address);
    }
    const subsets = [...bySignature.values()].map((s) => ({
      ...(s.addresses.length > 0 ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length > 0 ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ports: s.ports,
    }));
    const labels = { ...service.metadata.labels };
    if (!existing) {
      const created: KubeObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, ...(Object.keys(labels).length ? { labels } : {}) },
      };
      if (subsets.length > 0) created.subsets = subsets;
      await this.writer.create(ENDPOINTS, created);
      return;
    }
    const next = clone(existing) as KubeObject;
    if (subsets.length > 0) next.subsets = subsets;
    else delete next.subsets;
    if (Object.keys(labels).length > 0) next.metadata.labels = labels;
    else delete next.metadata.labels;
    if (jsonEqual(next, existing)) return;
    await this.writer.update(ENDPOINTS, next);
  }
}
