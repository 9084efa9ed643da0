/**
 * Services on Docker: one userspace proxy container per Service (the static
 * `kw-infra proxy`, as the first kube-proxy worked) on the cluster network,
 * with the DNS names `name.namespace`, `name.namespace.svc` and
 * `name.namespace.svc.cluster.local` as network aliases (pods find `name`
 * through their DNS search list). It listens on each Service port and
 * forwards, round robin, to the READY endpoints' target ports, read from the
 * Endpoints object and written to a file the proxy re-reads: membership
 * follows readiness without restarting anything. NodePort and LoadBalancer
 * ports are published on 127.0.0.1:nodePort, unless the orchestrator serves
 * them itself (Linux: proxy/node-port-server.ts). While the engine does not answer,
 * the backend files still follow the Endpoints (running proxies keep routing)
 * and the engine's part is retried with back-off, each new error said once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import type { ObjectStore } from '../store/object-store';
import type { DockerEngine } from '../kubelet/docker-client';
import { statusCode } from '../kubelet/docker-errors';
import { LABEL, namePart, networkName } from '../kubelet/docker-labels';
import { INFRA_BINARY } from '../kubelet/infra/infra-image';
import { readyEndpoints } from './ready-endpoints';

export interface ServiceProxiesOptions {
  engine: DockerEngine;
  store: ObjectStore;
  clock: Clock;
  clusterId: string;
  infraImage: () => Promise<string>;
  /** Host directory for the proxies' backend files. */
  stateDir: string;
  /** Publish node ports from the proxy containers (default); false when this process serves them (node-port-server.ts). */
  publishNodePorts?: boolean;
  /** Called when a reconcile fails (it is retried); once per Service until the error changes. */
  onError?: (message: string) => void;
}

interface Wanted {
  /** Service port -> its node port on 127.0.0.1 (NodePort/LoadBalancer). */
  ports: { port: number; nodePort?: number }[];
  backends: string;
  /** Whether any port has a ready endpoint. */
  ready: boolean;
}

/** The longest a new proxy container waits for the containers being started (see putOffForPodStarts). */
const PUT_OFF_MAX_MS = 3000;
/**
 * How long a put-off proxy waits after the engine's last create or start ended: the Service's last pod then
 * still has its status write, Endpoints and first answers ahead, which a proxy container's start (a network of
 * its own) would slow on a machine of few cores.
 */
const QUIET_MS = 500;

export class ServiceProxies {
  private readonly pending = new Set<string>();
  private timer: object | undefined;
  private running: Promise<void> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private network: Promise<unknown> | undefined;
  /** `namespace/name` -> the proxy container's IP on the cluster network. */
  private readonly addresses = new Map<string, string>();
  /** `namespace/name` -> the last failure and the wait before the next try (doubles up to 8 s). */
  private readonly failures = new Map<string, { message: string; delayMs: number }>();
  /** `namespace/name` -> when its new proxy was first put off for containers being started. */
  private readonly putOff = new Map<string, number>();

  constructor(private readonly o: ServiceProxiesOptions) {}

  start(): void {
    const changed = (e: { object: { metadata: { namespace?: string; name?: string } } }) =>
      this.enqueue(`${e.object.metadata.namespace ?? ''}/${e.object.metadata.name ?? ''}`);
    this.unsubscribe.push(this.o.store.subscribe('/services', changed));
    this.unsubscribe.push(this.o.store.subscribe('/endpoints', changed));
    for (const s of this.o.store.list('/services').items)
      this.enqueue(`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`);
    void this.removeStale();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.timer) this.o.clock.clearTimeout(this.timer);
  }

  /**
   * The IP of a Service's proxy on the cluster network (reachable from the
   * host on Linux), or undefined while it does not run.
   */
  async address(namespace: string, name: string): Promise<string | undefined> {
    const key = `${namespace}/${name}`;
    const cached = this.addresses.get(key);
    if (cached) return cached;
    const running = (
      await this.o.engine.list({
        [LABEL.cluster]: this.o.clusterId,
        [LABEL.role]: 'proxy',
        [LABEL.service]: `${namespace}.${name}`,
      })
    ).find((c) => c.state === 'running');
    if (!running) return undefined;
    const ip = (await this.o.engine.inspect(running.id))?.ips[networkName(this.o.clusterId)];
    if (ip) this.addresses.set(key, ip);
    return ip;
  }

  /** Drops a cached address (its container was replaced or refused a connection). */
  forget(namespace: string, name: string): void {
    this.addresses.delete(`${namespace}/${name}`);
  }

  private enqueue(key: string): void {
    this.pending.add(key);
    if (this.timer || this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, 20);
  }

  private async drain(): Promise<void> {
    if (this.running) {
      await this.running;
      if (this.pending.size > 0) this.enqueue([...this.pending][0]!);
      return;
    }
    this.running = (async () => {
      while (this.pending.size > 0 && !this.stopped) {
        const key = [...this.pending][0]!;
        this.pending.delete(key);
        try {
          await this.reconcile(key);
          this.failures.delete(key);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const last = this.failures.get(key);
          if (last?.message !== message) this.o.onError?.(`service proxy ${key}: ${message} (retrying)`);
          const delayMs = last ? Math.min(last.delayMs * 2, 8000) : 500;
          this.failures.set(key, { message, delayMs });
          this.o.clock.setTimeout(() => this.enqueue(key), delayMs);
        }
      }
    })();
    await this.running;
    this.running = undefined;
  }

  private dir(namespace: string, name: string): string {
    return join(this.o.stateDir, 'services', `${namePart(namespace)}.${namePart(name)}`);
  }

  /** Proxies of Services that no longer exist (removed while the orchestrator was down); again later if the engine does not answer. */
  private async removeStale(): Promise<void> {
    let proxies;
    try {
      proxies = await this.o.engine.list({ [LABEL.cluster]: this.o.clusterId, [LABEL.role]: 'proxy' });
    } catch {
      if (!this.stopped) this.o.clock.setTimeout(() => void this.removeStale(), 5000);
      return;
    }
    for (const c of proxies) {
      const label = c.labels[LABEL.service] ?? '';
      const dot = label.indexOf('.');
      const [namespace, name] = [label.slice(0, dot), label.slice(dot + 1)];
      if (!this.o.store.get('/services', namespace, name)) await this.o.engine.remove(c.id).catch(() => undefined);
    }
  }

  private async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.o.store.get('/services', namespace, name);
    const wanted = svc ? this.wanted(svc) : undefined;
    const dir = this.dir(namespace, name);
    if (wanted) {
      // First, without the engine: a running proxy follows the endpoints even while the engine is away.
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'backends');
      writeFileSync(`${file}.tmp`, wanted.backends);
      renameSync(`${file}.tmp`, file);
    }
    const existing = await this.o.engine.list({
      [LABEL.cluster]: this.o.clusterId,
      [LABEL.role]: 'proxy',
      [LABEL.service]: `${namespace}.${name}`,
    });
    if (!wanted) {
      this.putOff.delete(key);
      this.addresses.delete(key);
      for (const c of existing) await this.o.engine.remove(c.id).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const hash = createHash('sha256').update(JSON.stringify(wanted.ports)).digest('hex').slice(0, 12);
    let keep = false;
    for (const c of existing) {
      if (!keep && c.labels['kube-workbench.proxy-spec'] === hash && c.state === 'running') keep = true;
      else await this.o.engine.remove(c.id).catch(() => undefined);
    }
    if (keep) return;
    this.addresses.delete(key);
    // A new proxy waits for the Service's first ready endpoint: until then it could only refuse
    // connections (as kube-proxy does), and the pods that are starting come first on the engine.
    if (!wanted.ready || this.putOffForPodStarts(key)) return;
    this.putOff.delete(key);
    const network = networkName(this.o.clusterId);
    this.network ??= this.o.engine
      .ensureNetwork(network, { [LABEL.cluster]: this.o.clusterId })
      .catch((error: unknown) => {
        this.network = undefined;
        throw error;
      });
    await this.network;
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of wanted.ports)
      if (p.nodePort !== undefined) bindings[`${p.port}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: String(p.nodePort) }];
    const id = await this.o.engine.create({
      name: `kw_svc_${namePart(name)}_${namePart(namespace)}_${this.o.clusterId}`,
      Image: await this.o.infraImage(),
      Cmd: [INFRA_BINARY, 'proxy', '/etc/kw-proxy'],
      Labels: {
        [LABEL.cluster]: this.o.clusterId,
        [LABEL.role]: 'proxy',
        [LABEL.service]: `${namespace}.${name}`,
        'kube-workbench.proxy-spec': hash,
      },
      ExposedPorts: Object.fromEntries(wanted.ports.map((p) => [`${p.port}/tcp`, {}])),
      HostConfig: {
        NetworkMode: network,
        PortBindings: bindings,
        Mounts: [{ Type: 'bind', Source: dir, Target: '/etc/kw-proxy', ReadOnly: true }],
        RestartPolicy: { Name: 'unless-stopped' },
      },
      NetworkingConfig: {
        EndpointsConfig: {
          [network]: {
            Aliases: [`${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`],
          },
        },
      },
    });
    try {
      await this.o.engine.start(id);
    } catch (error) {
      await this.o.engine.remove(id).catch(() => undefined);
      if (statusCode(error) !== undefined) throw new Error(`cannot start the proxy: ${(error as Error).message}`);
      throw error;
    }
  }

  /**
   * Whether a new proxy container waits while the engine is creating or starting other containers (the
   * Service's other pods, most often): its start competes with theirs for the engine and the cores, and
   * the orchestrator serves node ports itself on Linux. Tried again QUIET_MS after the engine is done, and
   * made anyway after PUT_OFF_MAX_MS.
   */
  private putOffForPodStarts(key: string): boolean {
    const now = this.o.clock.now();
    const quiet = now < this.quietUntil;
    if (!this.o.engine.starts.busy && !quiet) return false;
    const since = this.putOff.get(key);
    if (since !== undefined && now - since >= PUT_OFF_MAX_MS) return false;
    if (since === undefined) {
      this.putOff.set(key, now);
      this.o.clock.setTimeout(() => this.enqueue(key), PUT_OFF_MAX_MS);
    }
    if (!this.o.engine.starts.busy) this.o.clock.setTimeout(() => this.enqueue(key), this.quietUntil - now);
    else
      void this.o.engine.starts.settled().then(() => {
        this.quietUntil = this.o.clock.now() + QUIET_MS;
        this.o.clock.setTimeout(() => this.enqueue(key), QUIET_MS);
      });
    return true;
  }

  /** Until when a put-off proxy still waits after the engine's last start (see QUIET_MS). */
  private quietUntil = 0;

  /** What the proxy should do for a Service: its ports and their ready backends. */
  private wanted(svc: JsonObject): Wanted | undefined {
    const spec = isObject(svc.spec) ? svc.spec : {};
    if (spec.type === 'ExternalName') return undefined;
    const self = isObject(svc.metadata) && svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes';
    if (self) return undefined; // the API server is on the host's 127.0.0.1, not on the cluster network
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
    if (ports.length === 0) return undefined;
    const meta = isObject(svc.metadata) ? svc.metadata : {};
    const ep = this.o.store.get('/endpoints', String(meta.namespace), String(meta.name));
    const exposeNode = this.o.publishNodePorts !== false && (spec.type === 'NodePort' || spec.type === 'LoadBalancer');
    const lines: string[] = [];
    const out: Wanted['ports'] = [];
    let ready = false;
    for (const p of ports) {
      if (typeof p.protocol === 'string' && p.protocol !== 'TCP') continue;
      const port = Number(p.port);
      const targets = readyEndpoints(ep, p).map((t) => `${t.host}:${t.port}`);
      ready ||= targets.length > 0;
      lines.push(`${port} ${targets.join(' ')}`);
      out.push({ port, ...(exposeNode && typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}) });
    }
    return { ports: out, backends: `${lines.join('\n')}\n`, ready };
  }
}
