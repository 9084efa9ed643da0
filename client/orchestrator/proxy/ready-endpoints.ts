/** The ready addresses behind a Service port, from its Endpoints object: what the proxies forward to. */
import { isObject, type JsonObject } from '../store/object';

export interface ServiceTarget {
  host: string;
  port: number;
  /** The pod behind the address (the address's targetRef), when known. */
  pod?: string;
}

/** Ready addresses of the Endpoints object that serve the Service port (matched by port name, as kube-proxy does). */
export function readyEndpoints(ep: JsonObject | undefined, servicePort: JsonObject): ServiceTarget[] {
  const portName = typeof servicePort.name === 'string' ? servicePort.name : '';
  const out: ServiceTarget[] = [];
  for (const s of ep && Array.isArray(ep.subsets) ? ep.subsets.filter(isObject) : []) {
    const ports = Array.isArray(s.ports) ? s.ports.filter(isObject) : [];
    const port = ports.find((p) => (typeof p.name === 'string' ? p.name : '') === portName);
    if (!port || typeof port.port !== 'number') continue;
    for (const a of Array.isArray(s.addresses) ? s.addresses.filter(isObject) : []) {
      if (typeof a.ip !== 'string') continue;
      const ref = isObject(a.targetRef) && a.targetRef.kind === 'Pod' ? a.targetRef.name : undefined;
      out.push({ host: a.ip, port: port.port, ...(typeof ref === 'string' ? { pod: ref } : {}) });
    }
  }
  return out;
}
