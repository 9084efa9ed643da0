/**
 * The EndpointSlice controller: for every Service with a selector, slices
 * (discovery.k8s.io/v1) labelled `kubernetes.io/service-name`, owned by the
 * Service, one per distinct port set, each endpoint with its ready, serving
 * and terminating conditions.
 */
import { splitKey, type Informer } from '../machinery/informer';
import { ENDPOINT_SLICES, PODS, SERVICES } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { ownerReferenceTo, type ControllerContext } from '../machinery/controller-context';
import { nodeOf, serviceEndpoints, ServiceIndex, targetRef, watchPodsForServices } from './service-endpoints';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';

export class EndpointSliceController extends ObjectController {
  private readonly pods: Informer;
  private readonly slices: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'endpointslice-controller', resource: SERVICES, workers: 2 });
    this.pods = ctx.informers.for(PODS);
    this.slices = ctx.informers.for(ENDPOINT_SLICES);
    this.slices.addIndexer('service', (s) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc && s.metadata.labels?.[MANAGED_BY] === CONTROLLER ? [`${s.metadata.namespace ?? ''}/${svc}`] : [];
    });
    watchPodsForServices(this.pods, new ServiceIndex(this.objects), (key) => this.queue.add(key));
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const service = this.objects.get(namespace, name);
    const existing = this.slices.byIndex('service', key);
    const spec = service && isObject(service.spec) ? service.spec : undefined;
    if (!service || !spec || !isObject(spec.selector) || Object.keys(spec.selector).length === 0) {
      for (const s of existing)
        await this.writer.delete(ENDPOINT_SLICES, namespace, s.metadata.name ?? '').catch(() => undefined);
      return;
    }
    const publishNotReady = spec.publishNotReadyAddresses === true;
    const groups = new Map<string, { ports: JsonObject[]; endpoints: JsonObject[] }>();
    for (const ep of serviceEndpoints(service, this.pods.list(namespace))) {
      const ports = [...ep.ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      const signature = JSON.stringify(ports);
      let group = groups.get(signature);
      if (!group) groups.set(signature, (group = { ports: ports as unknown as JsonObject[], endpoints: [] }));
      group.endpoints.push({
        addresses: [ep.ip],
        conditions: {
          ready: publishNotReady || (ep.ready && !ep.terminating),
          serving: ep.ready,
          terminating: ep.terminating,
        },
        ...(nodeOf(ep.pod) ? { nodeName: nodeOf(ep.pod) } : {}),
        targetRef: targetRef(ep.pod),
      });
    }
    if (groups.size === 0) groups.set('[]', { ports: [], endpoints: [] });
    const unused = [...existing];
    for (const [signature, group] of groups) {
      const reuse = unused.find((s) => JSON.stringify(s.ports ?? []) === signature) ?? unused[0];
      if (reuse) unused.splice(unused.indexOf(reuse), 1);
      await this.write(service, reuse, group);
    }
    for (const s of unused)
      await this.writer.delete(ENDPOINT_SLICES, namespace, s.metadata.name ?? '').catch(() => undefined);
  }

  private async write(
    service: Stored,
    existing: Stored | undefined,
    group: { ports: JsonObject[]; endpoints: JsonObject[] },
  ): Promise<void> {
    const labels = {
      ...service.metadata.labels,
      [SERVICE_NAME_LABEL]: service.metadata.name ?? '',
      [MANAGED_BY]: CONTROLLER,
    };
    if (!existing) {
      await this.writer.create(ENDPOINT_SLICES, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${service.metadata.name ?? ''}-`,
          namespace: service.metadata.namespace ?? 'default',
          labels,
          ownerReferences: [ownerReferenceTo(service)],
        },
        addressType: 'IPv4',
        endpoints: group.endpoints,
        ports: group.ports,
      });
      return;
    }
    const next = clone(existing) as KubeObject;
    next.metadata.labels = labels;
    next.endpoints = group.endpoints;
    next.ports = group.ports;
    if (jsonEqual(next, existing)) return;
    await this.writer.update(ENDPOINT_SLICES, next);
  }
}
