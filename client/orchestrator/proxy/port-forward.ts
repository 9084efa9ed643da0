/**
 * Port-forward inside the orchestrator process: a TCP listener on 127.0.0.1
 * (a given port or a free one) whose every connection is piped to a new
 * connection into a pod (through the runtime's `portForward`, via `PodIo`).
 * A Service target is resolved as kubectl does it: the Service port (by
 * number or name) to a ready endpoint's pod and target port, chosen again
 * for each connection. The API server's `pods/portforward` WebSocket gives
 * the same to clients outside the process.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PodIo } from '../api/pod-io';
import { isObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';

export type PortForwardTarget =
  | { kind: 'pod'; namespace: string; name: string; port: number }
  | { kind: 'service'; namespace: string; name: string; port: number | string };

export interface PortForwardOptions {
  store: ObjectStore;
  pods: PodIo;
  target: PortForwardTarget;
  /** 0 or unset: a free port. */
  localPort?: number;
  /** Told about connections that could not be forwarded. */
  onError?: (message: string) => void;
}

export interface RunningPortForward {
  localPort: number;
  close(): Promise<void>;
}

/** The pod and port a target connects to now; throws with what is missing. */
export function resolveTarget(store: ObjectStore, target: PortForwardTarget): { pod: Stored; port: number } {
  const { namespace, name } = target;
  if (target.kind === 'pod') {
    const pod = store.get('/pods', namespace, name);
    if (!pod) throw new Error(`pods "${name}" not found`);
    return { pod, port: target.port };
  }
  const svc = store.get('/services', namespace, name);
  if (!svc) throw new Error(`services "${name}" not found`);
  const spec = isObject(svc.spec) ? svc.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  const sp = ports.find((p) => (typeof target.port === 'number' ? p.port === target.port : p.name === target.port));
  if (!sp) throw new Error(`Service ${namespace}/${name} has no port ${String(target.port)}`);
  const portName = typeof sp.name === 'string' ? sp.name : '';
  const ep = store.get('/endpoints', namespace, name);
  const candidates: { pod: Stored; port: number }[] = [];
  for (const s of ep && Array.isArray(ep.subsets) ? ep.subsets.filter(isObject) : []) {
    const p = (Array.isArray(s.ports) ? s.ports.filter(isObject) : []).find(
      (x) => (typeof x.name === 'string' ? x.name : '') === portName,
    );
    if (!p) continue;
    for (const a of Array.isArray(s.addresses) ? s.addresses.filter(isObject) : []) {
      const ref = isObject(a.targetRef) ? a.targetRef : {};
      const pod = typeof ref.name === 'string' ? store.get('/pods', namespace, ref.name) : undefined;
      if (pod) candidates.push({ pod, port: Number(p.port) });
    }
  }
  const chosen = candidates[Math.floor(Math.random() * candidates.length)];
  if (!chosen) throw new Error(`Service ${namespace}/${name} has no ready endpoints`);
  return chosen;
}

export async function startPortForward(o: PortForwardOptions): Promise<RunningPortForward> {
  const open = new Set<Socket | Duplex>();
  const server: Server = createServer((local) => {
    open.add(local);
    local.on('close', () => open.delete(local));
    local.on('error', () => local.destroy());
    local.pause();
    void (async () => {
      let remote: Duplex;
      try {
        const { pod, port } = resolveTarget(o.store, o.target);
        remote = await o.pods.portForward(pod, port);
      } catch (error) {
        o.onError?.(`port-forward to ${describe(o.target)}: ${error instanceof Error ? error.message : String(error)}`);
        local.destroy();
        return;
      }
      open.add(remote);
      remote.on('close', () => {
        open.delete(remote);
        local.destroy();
      });
      remote.on('error', () => remote.destroy());
      local.on('close', () => remote.destroy());
      local.pipe(remote).pipe(local);
      local.resume();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.localPort ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    localPort: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function describe(t: PortForwardTarget): string {
  return `${t.kind === 'pod' ? 'pod' : 'service'}/${t.namespace}/${t.name}:${String(t.port)}`;
}
