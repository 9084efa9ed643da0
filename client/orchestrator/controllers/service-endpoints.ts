/**
 * What both endpoint controllers compute from a Service: the pods its
 * selector picks, each with its resolved ports (targetPort by number or by
 * container port name) and readiness, and which Services a pod belongs to.
 */
import { objectKey, type Informer } from '../machinery/informer';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { mapSelectorMatcher, type LabelMatcher } from '../../../server/kube-model/label-selector';
import { containersOf, isPodReady, nodeNameOf, podPhase, podSpec, podStatus } from '../machinery/pod-state';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface PodEndpoint {
  pod: Stored;
  ip: string;
  ready: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

/** The Service's pods with an IP (not finished), with their ports; terminating ones flagged. */
export function serviceEndpoints(service: Stored, pods: readonly Stored[]): PodEndpoint[] {
  const spec = isObject(service.spec) ? service.spec : {};
  const match = mapSelectorMatcher(spec.selector);
  const servicePorts = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  const out: PodEndpoint[] = [];
  for (const pod of pods) {
    if (!match(pod.metadata.labels)) continue;
    const ip = podStatus(pod).podIP;
    const phase = podPhase(pod);
    if (typeof ip !== 'string' || ip === '' || phase === 'Succeeded' || phase === 'Failed') continue;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({
        ...(typeof sp.name === 'string' && sp.name !== '' ? { name: sp.name } : {}),
        port,
        protocol: typeof sp.protocol === 'string' ? sp.protocol : 'TCP',
        ...(typeof sp.appProtocol === 'string' ? { appProtocol: sp.appProtocol } : {}),
      });
    }
    out.push({ pod, ip, ready: isPodReady(pod), terminating: Boolean(pod.metadata.deletionTimestamp), ports });
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

function resolveTargetPort(sp: JsonObject, pod: Stored): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  for (const c of containersOf(podSpec(pod))) {
    for (const p of Array.isArray(c.ports) ? c.ports.filter(isObject) : []) {
      if (p.name === target && typeof p.containerPort === 'number' && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'))
        return p.containerPort;
    }
  }
  return undefined;
}

export function targetRef(pod: Stored): JsonObject {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
  };
}

export function nodeOf(pod: Stored): string {
  return nodeNameOf(pod);
}

/** Finds the Services whose selector matches a pod, to enqueue them when the pod changes. */
export class ServiceIndex {
  private readonly matchers = new Map<string, { namespace: string; match: LabelMatcher }>();

  constructor(services: Informer) {
    services.addHandlers({
      onAdd: (s) => this.set(s),
      onUpdate: (_o, s) => this.set(s),
      onDelete: (s) => this.matchers.delete(objectKey(s)),
    });
  }

  private set(service: Stored): void {
    const spec = isObject(service.spec) ? service.spec : {};
    this.matchers.set(objectKey(service), {
      namespace: service.metadata.namespace ?? '',
      match: mapSelectorMatcher(spec.selector),
    });
  }

  /** Keys of the Services selecting `pod`. */
  servicesFor(pod: Stored): string[] {
    const ns = pod.metadata.namespace ?? '';
    const out: string[] = [];
    for (const [key, { namespace, match }] of this.matchers)
      if (namespace === ns && match(pod.metadata.labels)) out.push(key);
    return out;
  }
}

/** Enqueues the Services of a pod on every change that can move it in or out of endpoints. */
export function watchPodsForServices(pods: Informer, index: ServiceIndex, enqueue: (key: string) => void): void {
  const touch = (pod: Stored) => {
    for (const key of index.servicesFor(pod)) enqueue(key);
  };
  pods.addHandlers({
    onAdd: touch,
    onUpdate: (old, pod) => {
      touch(pod);
      if (old.metadata.labels !== pod.metadata.labels) touch(old);
    },
    onDelete: touch,
  });
}
