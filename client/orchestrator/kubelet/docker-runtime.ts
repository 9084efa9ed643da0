/**
 * The container runtime on a real Docker engine. A pod sandbox is a small
 * `kw-infra pause` container on the cluster's bridge network holding the
 * pod's network namespace and IP; every container of the pod joins it
 * (`NetworkMode: container:<sandbox>`), so they talk over localhost. Every
 * object it makes carries the cluster's labels, and it only ever looks at
 * objects with them. What goes to the engine is built by
 * docker-sandbox-spec.ts and docker-container-spec.ts; probes and preStop
 * hooks run through docker-probes.ts; volumes come from pod-volumes.ts
 * (subPaths in named volumes: volume-subpaths.ts).
 */
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import type { Clock } from '../clock';
import type { JsonObject } from '../store/object';
import type { DockerEngine } from './docker-client';
import { containerCreateBody } from './docker-container-spec';
import { containerStatusOf } from './docker-container-status';
import { EngineSession } from './docker-engine-session';
import { engineMessage, ignoreMissing, throwIfUnreachable } from './docker-errors';
import { isMissingImage, PresentImages } from './docker-images';
import { LABEL, networkName } from './docker-labels';
import { probeContainer, runPreStopHook } from './docker-probes';
import { sandboxCreateBody, sandboxStatus } from './docker-sandbox-spec';
import { ReadySandboxes } from './ready-sandboxes';
import { containerMounts, refreshProjectedVolumes, type ObjectReader, type PodVolumeContext } from './pod-volumes';
import { resolveVolumeSubPaths } from './volume-subpaths';
import { DEBUG_SHELL_IMAGE } from '../protocol/debug-shell-image';
import { ensureDebugShellImage } from './infra/debug-image';
import {
  ContainerStartError,
  ImagePullError,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStats,
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
  readonly network: string;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly sandboxes = new Map<string, PodSandboxConfig>();
  private readonly ready = new ReadySandboxes();
  private readonly images = new PresentImages();
  private readonly session: EngineSession;
  private suffix = 0;
  /**
   * The pods that had a sandbox on this node when all were listed (undefined until then), and those this runtime
   * made one for: only this runtime makes them, so a pod in neither has none to adopt or remove.
   */
  private listedPods: Set<string> | undefined;
  private readonly madeFor = new Set<string>();
  /** Containers this runtime started whose engine `start` event has not come yet. */
  private readonly ownStarts = new Set<string>();
  /** Containers already checked to be this cluster's, for stats. */
  private readonly statsAllowed = new Set<string>();

  constructor(private readonly o: DockerRuntimeOptions) {
    this.network = networkName(o.clusterId);
    this.session = new EngineSession({
      engine: o.engine,
      clock: o.clock,
      clusterId: o.clusterId,
      network: this.network,
      labels: this.base,
      ...(o.reconnectMs !== undefined ? { reconnectMs: o.reconnectMs } : {}),
      onPodEvent: (podUid, containerId, action) => {
        if (action === 'start' && this.ownStarts.delete(containerId)) return;
        this.ready.changed(podUid, containerId); // its sandbox may have died
        this.emit({ podUid, containerId });
      },
      // Events may have been missed while the engine was away: resync every pod.
      onReconnect: () => {
        this.ownStarts.clear();
        this.ready.clear();
        this.images.clear();
        for (const s of this.sandboxes.values()) this.emit({ podUid: s.podUid });
      },
    });
  }

  get version(): string {
    return this.session.version;
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

  /**
   * Starts a container; the engine's `start` event for it is then no news to the kubelet (it resynced the pod
   * after every start it asked for: three engine calls each), so it is not passed on.
   */
  private async startOwn(id: string): Promise<void> {
    this.ownStarts.add(id);
    try {
      await this.o.engine.start(id);
    } catch (error) {
      this.ownStarts.delete(id);
      throw error;
    }
  }

  // ---- sandboxes ----

  /** `whileStarting` (the pod's app containers are created then) runs beside a new sandbox's start. */
  async runPodSandbox(
    config: PodSandboxConfig,
    whileStarting?: (sandboxId: string) => Promise<void>,
  ): Promise<PodSandboxStatus> {
    await this.session.ready();
    this.sandboxes.set(config.podUid, config);
    // Adopt a running sandbox of this pod (after an orchestrator restart); drop a dead one. None to look for when
    // every sandbox of this node was listed and none was this pod's, nor made for it since.
    const unseen =
      this.listedPods !== undefined && !this.listedPods.has(config.podUid) && !this.madeFor.has(config.podUid);
    this.madeFor.add(config.podUid);
    for (const s of unseen
      ? []
      : await this.o.engine.list({ ...this.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: config.podUid })) {
      const info = await this.o.engine.inspect(s.id);
      if (info?.running && info.ips[this.network]) return this.ready.remember(sandboxStatus(info, this.network));
      await this.removeSandboxContainers(s.id);
    }
    const body = sandboxCreateBody(config, {
      labels: this.base,
      network: this.network,
      image: await this.o.infraImage(),
      suffix: this.uniqueSuffix(),
      clusterId: this.o.clusterId,
    });
    let id: string;
    try {
      id = await this.o.engine.create(body);
      const sandboxId = id;
      // A failed start leaves what was made meanwhile to the next sync, which removes the sandbox and its containers.
      await Promise.all([this.startOwn(sandboxId), whileStarting?.(sandboxId)]);
    } catch (error) {
      throwIfUnreachable(error);
      throw new Error(`failed to create the pod sandbox: ${engineMessage(error)}`);
    }
    const info = await this.o.engine.inspect(id);
    if (!info) throw new Error(`the pod sandbox ${id} vanished`);
    return this.ready.remember(sandboxStatus(info, this.network));
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    this.ready.forget(sandboxId);
    await this.o.engine.stop(sandboxId, 0).catch(ignoreMissing);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    this.ready.forget(sandboxId);
    const info = await this.o.engine.inspect(sandboxId);
    if (info && info.labels[LABEL.cluster] !== this.o.clusterId) return;
    await this.removeSandboxContainers(sandboxId);
    const podUid = info?.labels[LABEL.podUid];
    if (podUid) {
      this.sandboxes.delete(podUid);
      const left = await this.o.engine.list({ ...this.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
      if (left.length === 0) {
        this.listedPods?.delete(podUid);
        this.madeFor.delete(podUid);
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
    await this.session.ready();
    const info = await this.o.engine.inspect(sandboxId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId) return undefined;
    return sandboxStatus(info, this.network);
  }

  async listPodSandboxes(): Promise<PodSandboxStatus[]> {
    await this.session.ready();
    const all = await this.o.engine.list(this.base);
    this.listedPods ??= new Set();
    for (const c of all) this.listedPods.add(c.labels[LABEL.podUid] ?? '');
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

  // ---- simulated outage ----

  /** Pauses every running container of this node (sandboxes and containers, by this cluster's and node's labels). */
  async suspendNode(): Promise<void> {
    const all = await this.o.engine.list(this.base);
    const podParts = all.filter((c) => c.labels[LABEL.role] === 'sandbox' || c.labels[LABEL.role] === 'container');
    await Promise.all(
      podParts.filter((c) => c.state === 'running').map((c) => this.o.engine.pause(c.id).catch(ignoreMissing)),
    );
  }

  /** Unpauses this node's paused containers. */
  async resumeNode(): Promise<void> {
    const all = await this.o.engine.list(this.base);
    await Promise.all(
      all.filter((c) => c.state === 'paused').map((c) => this.o.engine.unpause(c.id).catch(ignoreMissing)),
    );
  }

  // ---- images ----

  async ensureImage(image: string, pullPolicy: string): Promise<ImageResult> {
    await this.session.ready();
    if (image === DEBUG_SHELL_IMAGE) {
      await ensureDebugShellImage(this.o.engine, image).catch((error: unknown) => {
        throwIfUnreachable(error);
        throw new ImagePullError(error instanceof Error ? error.message : String(error));
      });
    }
    return this.images.ensure(this.o.engine, image, pullPolicy);
  }

  // ---- containers ----

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    await this.session.ready();
    this.sandboxes.set(sandbox.podUid, sandbox);
    const mounts = await resolveVolumeSubPaths(
      { engine: this.o.engine, clusterId: this.o.clusterId, infraImage: this.o.infraImage },
      containerMounts(this.volumeContext(sandbox), config.spec, config.env),
    );
    const body = containerCreateBody(config, {
      sandboxId,
      sandbox,
      labels: this.base,
      mounts,
      suffix: this.uniqueSuffix(),
    });
    try {
      return await this.o.engine.create(body);
    } catch (error) {
      throwIfUnreachable(error);
      // Remembered as present but removed since: look again (pulling by its policy), then create once more.
      if (isMissingImage(error) && this.images.forget(config.image)) {
        await this.images.ensure(this.o.engine, config.image, imagePullPolicy(config.spec));
        return this.createContainer(sandboxId, config, sandbox);
      }
      throw new ContainerStartError('CreateContainerError', engineMessage(error));
    }
  }

  async startContainer(containerId: string): Promise<void> {
    try {
      await this.startOwn(containerId);
    } catch (error) {
      throwIfUnreachable(error);
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
      const podIp = await this.podIpOf(info.labels[LABEL.sandbox]);
      await runPreStopHook(
        this.o.engine,
        this.o.clock,
        info,
        JSON.parse(hook) as JsonObject,
        podIp,
        timeoutSeconds,
      ).catch(() => undefined);
      remaining = Math.max(2, timeoutSeconds - Math.floor((this.o.clock.now() - started) / 1000));
    }
    await this.o.engine.stop(containerId, remaining).catch(ignoreMissing);
  }

  private async podIpOf(sandbox: string | undefined): Promise<string> {
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

  /**
   * One non-streaming sample from the engine, only of containers this cluster made (checked by label once per
   * container: an id written into a pod's status by hand does not make the runtime read another container).
   */
  async containerStats(containerId: string): Promise<ContainerStats | undefined> {
    if (!this.statsAllowed.has(containerId)) {
      const info = await this.o.engine.inspect(containerId);
      if (!info || info.labels[LABEL.cluster] !== this.o.clusterId || !info.running) return undefined;
      if (this.statsAllowed.size >= 10_000) this.statsAllowed.clear();
      this.statsAllowed.add(containerId);
    }
    const stats = await this.o.engine.stats(containerId);
    if (!stats) this.statsAllowed.delete(containerId);
    return stats;
  }

  async listContainers(sandboxId: string): Promise<ContainerStatus[]> {
    await this.session.ready();
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

  async attach(containerId: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const info = await this.o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== this.o.clusterId || !info.running)
      throw new Error(`container ${containerId} is not running`);
    const h = await this.o.engine.attach(containerId, options);
    const session: ExecSession = { stdout: h.stdout, stderr: h.stderr, resize: h.resize, exitCode: h.exitCode };
    if (h.stdin) session.stdin = h.stdin as unknown as NonNullable<ExecSession['stdin']>;
    return session;
  }

  async probe(containerId: string, _kind: ProbeKind, probe: Readonly<JsonObject>, podIp: string): Promise<ProbeResult> {
    try {
      const info = await this.o.engine.inspect(containerId);
      if (!info) return { success: false, message: 'container is not running' };
      return await probeContainer(this.o.engine, this.o.clock, info, probe, podIp);
    } catch (error) {
      throwIfUnreachable(error);
      throw error;
    }
  }

  async findPodSandbox(podUid: string): Promise<string | undefined> {
    const known = this.ready.sandboxOf(podUid);
    if (known) return known;
    const found = await this.o.engine.list({ ...this.base, [LABEL.role]: 'sandbox', [LABEL.podUid]: podUid });
    return found.find((c) => c.state === 'running')?.id;
  }

  /** Cluster IPs are not routed on Docker: pods reach a Service's proxy by its DNS alias. */
  serviceHost(namespace: string, name: string): string | undefined {
    if (namespace === 'default' && name === 'kubernetes') return undefined; // not proxied
    return `${name}.${namespace}.svc.cluster.local`;
  }

  /** A connection to the pod's port; the sandbox's IP is remembered, and looked up again if it refuses. */
  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const dial = (host: string) =>
      new Promise<Duplex>((resolve, reject) => {
        const socket = connect({ host, port }, () => resolve(socket));
        socket.once('error', reject);
      });
    const known = this.ready.ipOf(sandboxId);
    if (known) {
      try {
        return await dial(known);
      } catch {
        this.ready.forget(sandboxId); // a sandbox replaced behind our back: ask the engine
      }
    }
    const status = await this.podSandboxStatus(sandboxId);
    if (!status?.ip) throw new Error(`pod sandbox ${sandboxId} has no IP`);
    if (status.state === 'ready') this.ready.remember(status);
    return dial(status.ip);
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
    this.session.close();
    this.listeners.clear();
    return Promise.resolve();
  }
}

function imagePullPolicy(spec: Readonly<JsonObject>): string {
  return typeof spec.imagePullPolicy === 'string' ? spec.imagePullPolicy : 'IfNotPresent';
}
