/**
 * The container runtime on a real Docker engine. A pod sandbox is a small
 * `kw-infra pause` container on the cluster's bridge network holding the
 * pod's network namespace and IP; every container of the pod joins it
 * (`NetworkMode: container:<sandbox>`), so they talk over localhost. Every
 * object it makes carries the cluster's labels, and it only ever looks at
 * objects with them. Probes run against the real container: exec through
 * `docker exec`, httpGet and tcpSocket to the pod IP on the bridge.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import type { Clock } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import { bytes, parseQuantity } from '../scheduler/quantity';
import {
  engineMessage,
  isEngineUnreachable,
  statusCode,
  type ContainerInfo,
  type CreateBody,
  type DockerEngine,
} from './docker-client';
import { LABEL, namePart, networkName } from './docker-labels';
import { INFRA_BINARY } from './infra/infra-image';
import { containerMounts, refreshProjectedVolumes, type ObjectReader, type PodVolumeContext } from './pod-volumes';
import { resolveVolumeSubPaths } from './volume-subpaths';
import { withTimeout } from './with-timeout';
import {
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecSession,
  type ImageResult,
  type LogOptions,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type ProbeKind,
  type ProbeResult,
  type RuntimeEvent,
  type RuntimeStatus,
} from './runtime';

export interface DockerRuntimeOptions {
  engine: DockerEngine;
  clock: Clock;
  /** Short, stable id of the cluster (from its data directory): in labels and names. */
  clusterId: string;
  nodeName: string;
  /** Resolves with the infrastructure image (built once, shared by the nodes). */
  infraImage: () => Promise<string>;
  /** Host directory for projected volume files (configMap, secret). */
  stateDir: string;
  read: ObjectReader;
  allowHostPath?: boolean;
  /** Ms between attempts to follow the engine's events again after it went away (default 1000). */
  reconnectMs?: number;
}

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  version = 'unknown';
  readonly network: string;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly sandboxes = new Map<string, PodSandboxConfig>();
  private stopEvents: (() => void) | undefined;
  private reconnectTimer: object | undefined;
  private closed = false;
  private ready: Promise<void> | undefined;
  private suffix = 0;

  constructor(private readonly o: DockerRuntimeOptions) {
    this.network = networkName(o.clusterId);
  }

  /** Whether the engine answers: its ping, with the socket and what to do in the message when it does not. */
  async status(): Promise<RuntimeStatus> {
    try {
      await this.o.engine.ping(5000);
      return { ready: true };
    } catch (error) {
      return { ready: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private get base(): Record<string, string> {
    return { [LABEL.cluster]: this.o.clusterId, [LABEL.node]: this.o.nodeName };
  }

  /** The network, the version and the event stream; again after the engine was away. */
  private setUp(): Promise<void> {
    this.ready ??= (async () => {
      await this.o.engine.ensureNetwork(this.network, { [LABEL.cluster]: this.o.clusterId });
      this.version = await this.o.engine.serverVersion();
      await this.followEvents();
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async followEvents(): Promise<void> {
    this.stopEvents?.();
    this.stopEvents = await this.o.engine.events(
      this.base,
      (e) => {
        const podUid = e.labels[LABEL.podUid];
        if (podUid && ['die', 'start', 'destroy', 'oom', 'kill'].includes(e.action))
          this.emit({ podUid, containerId: e.id });
      },
      () => {
        // The engine went away (or restarted): follow again when it answers, and resync every pod.
        this.stopEvents = undefined;
        this.ready = undefined;
        if (!this.closed) this.scheduleReconnect();
      },
    );
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) return;
    this.reconnectTimer = this.o.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.setUp().then(
        () => {
          for (const s of this.sandboxes.values()) this.emit({ podUid: s.podUid });
        },
        () => this.scheduleReconnect(),
      );
    }, this.o.reconnectMs ?? 1000);
  }

  private emit(event: RuntimeEvent): void {
    for (const l of this.listeners) l(event);
  }

  private podDir(podUid: string): string {
    return join(this.o.stateDir, 'pods', podUid);
  }

  private volumeContext(sandbox: PodSandboxConfig): PodVolumeContext {
    return {
      clusterId: this.o.clusterId,
      podUid: sandbox.podUid,
      namespace: sandbox.namespace,
      podSpec: sandbox.podSpec,
      podDir: this.podDir(sandbox.podUid),
      allowHostPath: this.o.allowHostPath ?? false,
      read: this.o.read,
    };
  }

  private uniqueSuffix(): string {
    return `${Date.now().toString(36)}${(++this.suffix).toString(36)}`;
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    await this.setUp();
    this.sandboxes.set(config.podUid, config);
    // Adopt a running sandbox of this pod (after an orchestrator restart); drop a dead one.
    for (const s of await this.o.engine.list({
      ...this.base,
      [LABEL.role]: 'sandbox',
      [LABEL.podUid]: config.podUid,
    })) {
      const info = await this.o.engine.inspect(s.id);
      if (info?.running && info.ips[this.network]) return sandboxStatus(info, this.network);
      await this.removeSandboxContainers(s.id);
    }
    const spec = config.podSpec;
    const hostname = config.hostname.slice(0, 63);
    const publish = hostPorts(spec);
    const body: CreateBody = {
      name: `kw_POD_${namePart(config.name)}_${namePart(config.namespace)}_${config.podUid.slice(0, 8)}_${this.uniqueSuffix()}`,
      Image: await this.o.infraImage(),
      Cmd: [INFRA_BINARY, 'pause'],
      Hostname: hostname,
      Labels: {
        ...this.base,
        [LABEL.role]: 'sandbox',
        [LABEL.podUid]: config.podUid,
        [LABEL.podName]: config.name,
        [LABEL.namespace]: config.namespace,
      },
      ExposedPorts: Object.fromEntries(Object.keys(publish).map((k) => [k, {}])),
      HostConfig: {
        NetworkMode: this.network,
        PortBindings: publish,
        DnsSearch: [`${config.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'],
        RestartPolicy: { Name: 'no' },
      },
      NetworkingConfig: { EndpointsConfig: { [this.network]: { Aliases: [hostname] } } },
    };
    let id: string;
    try {
      id = await this.o.engine.create(body);
      await this.o.engine.start(id);
    } catch (error) {
      unreachable(error);
      throw new Error(`failed to create the pod sandbox: ${engineMessage(error)}`);
    }
    const info = await this.o.engine.inspect(id);
    if (!info) throw new Error(`the pod sandbox ${id} vanished`);
    return sandboxStatus(info, this.network);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.o.engine.stop(sandboxId, 0).catch(ignoreMissing);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const info = await this.o.engine.inspect(sandboxId);
    if (info && info.labels[LABEL.cluster] !== this.o.clusterId) return;
    await this.removeSandboxContainers(sandboxId);
    const podUid = info?.labels[LABEL.podUid];
    if (podUid) {
      this.sandboxes.delete(podUid);
      const left = await this.o.engine.list({ ...this.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
      if (left.length === 0) {
        for (const v of await this.o.engine.volumesByLabels({
          [LABEL.cluster]: this.o.clusterId,
          [LABEL.podUid]: podUid,
        }))
          await this.o.engine.removeVolume(v).catch(() => undefined);
        rmSync(this.podDir(podUid), { recursive: true, force: true });
      }
    }
  }

  private async removeSandboxContainers(sandboxId: string): Promise<void> {
    for (const c of await this.o.engine.list({ ...this.base, [LABEL.sandbox]: sandboxId }))
      await this.o.engine.remove(c.id).catch(ignoreMissing);
    await this.o.engine.remove(sandboxId).catch(ignoreMissing);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    await this.setUp();
    const info = await this.o.engine.inspect(sandboxId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId) return undefined;
    return sandboxStatus(info, this.network);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    await this.setUp();
    const all = await this.o.engine.list(this.base);
    const sandboxIds = new Set(all.filter((c) => c.labels[LABEL.role] === 'sandbox').map((c) => c.id));
    // Containers whose sandbox is gone are orphans.
    for (const c of all)
      if (c.labels[LABEL.role] === 'container' && !sandboxIds.has(c.labels[LABEL.sandbox] ?? ''))
        await this.o.engine.remove(c.id).catch(ignoreMissing);
    const out: PodSandboxStatus[] = [];
    for (const id of sandboxIds) {
      const info = await this.o.engine.inspect(id);
      if (info) out.push(sandboxStatus(info, this.network));
    }
    return out;
  }

  // ---- images ----

  async ensureImage(image: string, pullPolicy: string): Promise<ImageResult> {
    await this.setUp();
    const local = await this.o.engine.imageId(image);
    if (local && pullPolicy !== 'Always') return { imageRef: local, pulled: false };
    if (pullPolicy === 'Never') {
      throw new ImagePullError(`Container image "${image}" is not present with pull policy of Never`);
    }
    try {
      await this.o.engine.pull(image);
    } catch (error) {
      unreachable(error);
      // Offline with the image already here: use it rather than fail.
      if (local) return { imageRef: local, pulled: false };
      throw new ImagePullError(engineMessage(error));
    }
    const pulled = await this.o.engine.imageId(image);
    if (!pulled) throw new ImagePullError(`pulled ${image} but the engine does not list it`);
    return { imageRef: pulled, pulled: true };
  }

  // ---- containers ----

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    await this.setUp();
    this.sandboxes.set(sandbox.podUid, sandbox);
    const spec = config.spec;
    const mounts = await resolveVolumeSubPaths(
      { engine: this.o.engine, clusterId: this.o.clusterId, infraImage: this.o.infraImage },
      containerMounts(this.volumeContext(sandbox), spec, config.env),
    );
    const security = securityOf(sandbox.podSpec, spec);
    const limits = isObject(spec.resources) && isObject(spec.resources.limits) ? spec.resources.limits : {};
    const memory = limits.memory !== undefined ? bytes(limits.memory) : 0;
    const cpu = limits.cpu !== undefined ? parseQuantity(limits.cpu) : 0;
    const lifecycle = isObject(spec.lifecycle) && isObject(spec.lifecycle.preStop) ? spec.lifecycle.preStop : undefined;
    const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
    const command = strings(spec.command);
    const args = strings(spec.args);
    const body: CreateBody = {
      name: `kw_${namePart(config.name)}_${namePart(sandbox.name)}_${namePart(sandbox.namespace)}_${sandbox.podUid.slice(0, 8)}_${config.attempt}_${this.uniqueSuffix()}`,
      Image: config.image,
      ...(command ? { Entrypoint: command, Cmd: args ?? [] } : args ? { Cmd: args } : {}),
      Env: config.env.map((e) => `${e.name}=${e.value}`),
      ...(typeof spec.workingDir === 'string' && spec.workingDir !== '' ? { WorkingDir: spec.workingDir } : {}),
      ...(security.user ? { User: security.user } : {}),
      Tty: spec.tty === true,
      OpenStdin: spec.stdin === true,
      StdinOnce: spec.stdinOnce === true,
      Labels: {
        ...this.base,
        [LABEL.role]: 'container',
        [LABEL.podUid]: sandbox.podUid,
        [LABEL.podName]: sandbox.name,
        [LABEL.namespace]: sandbox.namespace,
        [LABEL.sandbox]: sandboxId,
        [LABEL.container]: config.name,
        [LABEL.attempt]: String(config.attempt),
        [LABEL.init]: String(config.init),
        [LABEL.ports]: JSON.stringify(namedPorts(spec)),
        ...(lifecycle ? { [LABEL.preStop]: JSON.stringify(lifecycle) } : {}),
      },
      HostConfig: {
        NetworkMode: `container:${sandboxId}`,
        Mounts: mounts,
        ...(memory > 0 ? { Memory: Math.round(memory) } : {}),
        ...(cpu > 0 ? { NanoCpus: Math.round(cpu * 1e9) } : {}),
        ReadonlyRootfs: security.readOnlyRootFilesystem,
        Privileged: security.privileged,
        CapAdd: security.add,
        CapDrop: security.drop,
        RestartPolicy: { Name: 'no' },
      },
    };
    try {
      return await this.o.engine.create(body);
    } catch (error) {
      unreachable(error);
      throw new ContainerStartError('CreateContainerError', engineMessage(error));
    }
  }

  async startContainer(containerId: string): Promise<void> {
    try {
      await this.o.engine.start(containerId);
    } catch (error) {
      unreachable(error);
      throw new ContainerStartError('RunContainerError', engineMessage(error));
    }
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const info = await this.o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId) return;
    let remaining = timeoutSeconds;
    const hook = info.labels[LABEL.preStop];
    if (hook && info.running && timeoutSeconds > 0) {
      const started = this.o.clock.now();
      await this.runHook(info, JSON.parse(hook) as JsonObject, timeoutSeconds).catch(() => undefined);
      remaining = Math.max(2, timeoutSeconds - Math.floor((this.o.clock.now() - started) / 1000));
    }
    await this.o.engine.stop(containerId, remaining).catch(ignoreMissing);
  }

  private async runHook(info: ContainerInfo, hook: JsonObject, seconds: number): Promise<void> {
    const pod = await this.podIpOf(info);
    if (isObject(hook.exec) && Array.isArray(hook.exec.command)) {
      const session = await this.o.engine.exec(info.id, hook.exec.command.map(String), { stdin: false, tty: false });
      session.stdout.resume();
      session.stderr.resume();
      await withTimeout(session.exitCode, seconds * 1000, this.o.clock);
    } else if (isObject(hook.httpGet)) {
      await httpProbe(hook.httpGet, pod, info, seconds);
    } else if (isObject(hook.sleep) && typeof hook.sleep.seconds === 'number') {
      const ms = Math.min(seconds, hook.sleep.seconds) * 1000;
      await new Promise<void>((r) => this.o.clock.setTimeout(r, ms));
    }
  }

  private async podIpOf(info: ContainerInfo): Promise<string> {
    const sandbox = info.labels[LABEL.sandbox];
    if (!sandbox) return '';
    return (await this.o.engine.inspect(sandbox))?.ips[this.network] ?? '';
  }

  async removeContainer(containerId: string): Promise<void> {
    const info = await this.o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId) return;
    await this.o.engine.remove(containerId).catch(ignoreMissing);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    const info = await this.o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId) return undefined;
    return containerStatusOf(info);
  }

  async listContainers(sandboxId: string): Promise<ContainerStatus[]> {
    await this.setUp();
    const out: ContainerStatus[] = [];
    for (const c of await this.o.engine.list({ ...this.base, [LABEL.sandbox]: sandboxId })) {
      const info = await this.o.engine.inspect(c.id);
      if (info) out.push(containerStatusOf(info));
    }
    return out;
  }

  // ---- logs, exec, probes, port-forward ----

  async logs(containerId: string, options: LogOptions): Promise<Readable> {
    const since =
      options.sinceSeconds !== undefined ? Math.floor(this.o.clock.now() / 1000) - options.sinceSeconds : undefined;
    return this.o.engine.logs(containerId, {
      follow: options.follow === true,
      timestamps: options.timestamps === true,
      ...(options.tailLines !== undefined ? { tail: options.tailLines } : {}),
      ...(since !== undefined ? { since } : {}),
    });
  }

  async exec(containerId: string, command: string[], options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const info = await this.o.engine.inspect(containerId);
    if (!info?.running) throw new Error(`container ${containerId} is not running`);
    const h = await this.o.engine.exec(containerId, command, options);
    const session: ExecSession = { stdout: h.stdout, stderr: h.stderr, resize: h.resize, exitCode: h.exitCode };
    if (h.stdin) session.stdin = h.stdin as unknown as NonNullable<ExecSession['stdin']>;
    return session;
  }

  async probe(containerId: string, kind: ProbeKind, probe: Readonly<JsonObject>, podIp: string): Promise<ProbeResult> {
    try {
      return await this.runProbe(containerId, kind, probe, podIp);
    } catch (error) {
      unreachable(error);
      throw error;
    }
  }

  private async runProbe(
    containerId: string,
    _kind: ProbeKind,
    probe: Readonly<JsonObject>,
    podIp: string,
  ): Promise<ProbeResult> {
    const info = await this.o.engine.inspect(containerId);
    if (!info?.running) return { success: false, message: 'container is not running' };
    const timeout = typeof probe.timeoutSeconds === 'number' ? probe.timeoutSeconds : 1;
    if (isObject(probe.exec) && Array.isArray(probe.exec.command)) {
      const session = await this.o.engine.exec(containerId, probe.exec.command.map(String), {
        stdin: false,
        tty: false,
      });
      let output = '';
      session.stdout.on('data', (c: Buffer) => (output += c.toString()));
      session.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const code = await withTimeout(session.exitCode, timeout * 1000, this.o.clock).catch(() => undefined);
      if (code === undefined) return { success: false, message: `command timed out after ${timeout}s` };
      return code === 0
        ? { success: true }
        : {
            success: false,
            message: `command ${JSON.stringify(probe.exec.command)} exited with ${code}: ${output.trim()}`,
          };
    }
    if (isObject(probe.httpGet)) return httpProbe(probe.httpGet, podIp, info, timeout);
    if (isObject(probe.tcpSocket)) {
      const port = resolvePort(probe.tcpSocket.port, info);
      const host = typeof probe.tcpSocket.host === 'string' ? probe.tcpSocket.host : podIp;
      return tcpProbe(host, port, timeout);
    }
    return { success: false, message: 'probe has no exec, httpGet or tcpSocket handler' };
  }

  async findPodSandbox(podUid: string): Promise<string | undefined> {
    const found = await this.o.engine.list({ ...this.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
    return found.find((c) => c.state === 'running')?.id;
  }

  /** Cluster IPs are not routed on Docker: pods reach a Service's proxy by its DNS alias. */
  serviceHost(namespace: string, name: string): string | undefined {
    if (namespace === 'default' && name === 'kubernetes') return undefined; // not proxied
    return `${name}.${namespace}.svc.cluster.local`;
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const status = await this.podSandboxStatus(sandboxId);
    if (!status?.ip) throw new Error(`pod sandbox ${sandboxId} has no IP`);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: status.ip, port }, () => resolve(socket));
      socket.once('error', reject);
    });
  }

  /** Rewrites the configMap and secret files of every pod that mounts `namespace/name`. */
  refreshVolumes(namespace: string): void {
    for (const s of this.sandboxes.values())
      if (s.namespace === namespace) refreshProjectedVolumes(this.volumeContext(s));
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) this.o.clock.clearTimeout(this.reconnectTimer);
    this.stopEvents?.();
    this.listeners.clear();
    return Promise.resolve();
  }
}

/** Rethrows an error that means the engine is not there as RuntimeUnavailableError. */
function unreachable(error: unknown): void {
  if (isEngineUnreachable(error))
    throw new RuntimeUnavailableError(
      `the Docker engine is unreachable (${error instanceof Error ? error.message : String(error)})`,
    );
}

function ignoreMissing(error: unknown): void {
  if (statusCode(error) !== 404) throw error;
}

function sandboxStatus(info: ContainerInfo, network: string): PodSandboxStatus {
  return {
    id: info.id,
    podUid: info.labels[LABEL.podUid] ?? '',
    state: info.running ? 'ready' : 'notready',
    ip: info.ips[network] ?? '',
    createdAt: info.createdAt,
  };
}

function containerStatusOf(info: ContainerInfo): ContainerStatus {
  const state =
    info.status === 'running' || info.status === 'paused'
      ? 'running'
      : info.status === 'created'
        ? 'created'
        : info.status === 'exited' || info.status === 'dead'
          ? 'exited'
          : 'unknown';
  const exited = state === 'exited';
  return {
    id: info.id,
    sandboxId: info.labels[LABEL.sandbox] ?? '',
    name: info.labels[LABEL.container] ?? '',
    state,
    attempt: Number(info.labels[LABEL.attempt] ?? 0),
    createdAt: info.createdAt,
    ...(info.startedAt !== undefined ? { startedAt: info.startedAt } : {}),
    ...(exited && info.finishedAt !== undefined ? { finishedAt: info.finishedAt } : {}),
    ...(exited
      ? {
          exitCode: info.exitCode,
          reason: info.oomKilled
            ? 'OOMKilled'
            : info.error
              ? 'StartError'
              : info.exitCode === 0
                ? 'Completed'
                : 'Error',
          ...(info.error ? { message: info.error } : {}),
        }
      : {}),
    image: info.image,
    imageRef: info.imageId,
  };
}

/** `hostPort`s of the pod's containers, published on 127.0.0.1 by the sandbox. */
function hostPorts(podSpec: Readonly<JsonObject>): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers.filter(isObject) : [];
  for (const c of containers) {
    for (const p of Array.isArray(c.ports) ? c.ports.filter(isObject) : []) {
      if (typeof p.hostPort !== 'number' || typeof p.containerPort !== 'number') continue;
      const proto = typeof p.protocol === 'string' ? p.protocol.toLowerCase() : 'tcp';
      out[`${p.containerPort}/${proto}`] = [{ HostIp: '127.0.0.1', HostPort: String(p.hostPort) }];
    }
  }
  return out;
}

function namedPorts(spec: Readonly<JsonObject>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [])
    if (typeof p.name === 'string' && typeof p.containerPort === 'number') out[p.name] = p.containerPort;
  return out;
}

function resolvePort(port: unknown, info: ContainerInfo): number {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const named = JSON.parse(info.labels[LABEL.ports] ?? '{}') as Record<string, number>;
  return named[String(port)] ?? 0;
}

interface Security {
  user?: string;
  readOnlyRootFilesystem: boolean;
  privileged: boolean;
  add: string[];
  drop: string[];
}

function securityOf(podSpec: Readonly<JsonObject>, spec: Readonly<JsonObject>): Security {
  const pod = isObject(podSpec.securityContext) ? podSpec.securityContext : {};
  const c = isObject(spec.securityContext) ? spec.securityContext : {};
  const uid =
    typeof c.runAsUser === 'number' ? c.runAsUser : typeof pod.runAsUser === 'number' ? pod.runAsUser : undefined;
  const gid =
    typeof c.runAsGroup === 'number' ? c.runAsGroup : typeof pod.runAsGroup === 'number' ? pod.runAsGroup : undefined;
  const caps = isObject(c.capabilities) ? c.capabilities : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    ...(uid !== undefined ? { user: gid !== undefined ? `${uid}:${gid}` : String(uid) } : {}),
    readOnlyRootFilesystem: c.readOnlyRootFilesystem === true,
    privileged: c.privileged === true,
    add: list(caps.add),
    drop: list(caps.drop),
  };
}

function httpProbe(get: JsonObject, podIp: string, info: ContainerInfo, timeoutSeconds: number): Promise<ProbeResult> {
  const port = resolvePort(get.port, info);
  const host = typeof get.host === 'string' && get.host !== '' ? get.host : podIp;
  const path = typeof get.path === 'string' && get.path !== '' ? get.path : '/';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of Array.isArray(get.httpHeaders) ? get.httpHeaders.filter(isObject) : [])
    headers[String(h.name)] = String(h.value);
  return new Promise((resolve) => {
    const req = request({ host, port, path, headers, timeout: timeoutSeconds * 1000, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(
        code >= 200 && code < 400
          ? { success: true }
          : { success: false, message: `HTTP probe failed with statuscode: ${code}` },
      );
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ success: false, message: `Get "http://${host}:${port}${path}": context deadline exceeded` });
    });
    req.on('error', (e) => resolve({ success: false, message: `Get "http://${host}:${port}${path}": ${e.message}` }));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutSeconds * 1000, () => {
      socket.destroy();
      resolve({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ success: true });
    });
    socket.once('error', (e) => resolve({ success: false, message: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}
