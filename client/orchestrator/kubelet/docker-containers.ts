/**
 * A pod's containers on Docker: images by pull policy, create (body: docker-container-spec.ts, volumes:
 * pod-volumes.ts and volume-subpaths.ts) in the pod's sandbox network or as the owner of it (owned-networks.ts),
 * start, stop with the preStop hook, remove, status and stats, logs, exec, attach and probes (docker-probes.ts).
 * Only containers carrying this cluster's label are stopped, removed, read or attached to.
 */
import type { Readable } from 'node:stream';
import type { JsonObject } from '../store/object';
import { DEBUG_SHELL_IMAGE } from '../protocol/debug-shell-image';
import { containerCreateBody } from './docker-container-spec';
import { containerStatusOf } from './docker-container-status';
import { engineMessage, ignoreMissing, throwIfUnreachable } from './docker-errors';
import { isMissingImage } from './docker-images';
import { LABEL } from './docker-labels';
import { probeContainer, runPreStopHook } from './docker-probes';
import type { DockerRuntimeState } from './docker-runtime-state';
import { sandboxCreateBody } from './docker-sandbox-spec';
import type { DockerSandboxes } from './docker-sandboxes';
import { ensureDebugShellImage } from './infra/debug-image';
import { OwnedNetworks, ownerCreateBody } from './owned-networks';
import { containerMounts } from './pod-volumes';
import {
  ContainerStartError,
  ImagePullError,
  type ContainerConfig,
  type ContainerStats,
  type ContainerStatus,
  type ExecSession,
  type ImageResult,
  type LogOptions,
  type PodSandboxConfig,
  type ProbeResult,
} from './runtime';
import { resolveVolumeSubPaths } from './volume-subpaths';

export class DockerContainers {
  /** Containers already checked to be this cluster's, for stats. */
  private readonly statsAllowed = new Set<string>();

  constructor(
    private readonly s: DockerRuntimeState,
    private readonly pods: DockerSandboxes,
  ) {}

  async ensureImage(image: string, pullPolicy: string): Promise<ImageResult> {
    const { engine } = this.s.o;
    await this.s.session.ready();
    if (image === DEBUG_SHELL_IMAGE) {
      await ensureDebugShellImage(engine, image).catch((error: unknown) => {
        throwIfUnreachable(error);
        throw new ImagePullError(error instanceof Error ? error.message : String(error));
      });
    }
    return this.s.images.ensure(engine, image, pullPolicy);
  }

  /**
   * Creates a container in the pod's network: a new pod's app container as the owner of its network (the sandbox id
   * is a stand-in, docker-sandboxes.ts), or joining what holds the network. A pod whose owner stopped gets a sandbox
   * with its IP first (`takeOver`), which the container joins.
   */
  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    const { o } = this.s;
    await this.s.session.ready();
    this.s.sandboxes.set(sandbox.podUid, sandbox);
    const pending = this.s.owned.pending.get(sandboxId);
    const holder = pending ? sandboxId : await this.holderFor(sandboxId, sandbox);
    const mounts = await resolveVolumeSubPaths(
      { engine: o.engine, clusterId: o.clusterId, infraImage: o.infraImage },
      containerMounts(this.s.volumeContext(sandbox), config.spec, config.env),
    );
    const body = containerCreateBody(this.inNetwork(config, holder), {
      sandboxId: holder,
      sandbox,
      labels: this.s.base,
      mounts,
      suffix: this.s.uniqueSuffix(),
    });
    try {
      if (!pending) return await o.engine.create(body);
      const place = { labels: this.s.base, network: this.s.network, image: '', suffix: '', clusterId: o.clusterId };
      const id = await o.engine.create(
        ownerCreateBody(body, sandboxCreateBody(sandbox, place), place.network, pending.ip),
      );
      pending.owner = id;
      return id;
    } catch (error) {
      throwIfUnreachable(error);
      // Remembered as present but removed since: look again (pulling by its policy), then create once more.
      if (isMissingImage(error) && this.s.images.forget(config.image)) {
        await this.s.images.ensure(o.engine, config.image, imagePullPolicy(config.spec));
        return this.createContainer(sandboxId, config, sandbox);
      }
      throw new ContainerStartError('CreateContainerError', engineMessage(error));
    }
  }

  /**
   * What a container of the pod joins: the sandbox, or the app container owning the pod's network while it runs;
   * once that one stopped, the sandbox that took the network over (made now if there is none yet).
   */
  private async holderFor(sandboxId: string, sandbox: PodSandboxConfig): Promise<string> {
    const net = this.s.owned.get(sandboxId);
    if (!net) return sandboxId;
    if (net.sandbox !== undefined) return net.sandbox;
    if ((await this.s.o.engine.inspect(net.owner))?.running) return net.owner;
    return this.pods.takeOver(net, sandbox);
  }

  /**
   * A debug container without a target shares the sandbox's process namespace, or none when it joins an app
   * container owning the network (it would see the app's processes, and end with it, as with a target).
   */
  private inNetwork(config: ContainerConfig, holder: string): ContainerConfig {
    if (!config.ephemeral || config.ephemeral.target !== undefined) return config;
    const owner = this.s.owned.get(holder)?.owner === holder;
    return { ...config, ephemeral: { pidContainerId: owner ? '' : holder } };
  }

  async startContainer(containerId: string): Promise<void> {
    if (this.s.owned.started.delete(containerId)) return; // the owner, started with its pod's network
    try {
      await this.s.startOwn(containerId);
    } catch (error) {
      throwIfUnreachable(error);
      throw new ContainerStartError('RunContainerError', engineMessage(error));
    }
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const { o } = this.s;
    const info = await o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== o.clusterId) return;
    let remaining = timeoutSeconds;
    const hook = info.labels[LABEL.preStop];
    if (hook && info.running && timeoutSeconds > 0) {
      const started = o.clock.now();
      const podIp = info.labels[LABEL.podIp] ?? (await this.podIpOf(info.labels[LABEL.sandbox]));
      await runPreStopHook(o.engine, o.clock, info, JSON.parse(hook) as JsonObject, podIp, timeoutSeconds).catch(
        () => undefined,
      );
      remaining = Math.max(2, timeoutSeconds - Math.floor((o.clock.now() - started) / 1000));
    }
    await o.engine.stop(containerId, remaining).catch(ignoreMissing);
  }

  private async podIpOf(sandbox: string | undefined): Promise<string> {
    if (!sandbox) return '';
    return (await this.s.o.engine.inspect(sandbox))?.ips[this.s.network] ?? '';
  }

  async removeContainer(containerId: string): Promise<void> {
    const { o } = this.s;
    const info = await o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== o.clusterId) return;
    await o.engine.remove(containerId).catch(ignoreMissing);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    const info = await this.s.o.engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== this.s.o.clusterId) return undefined;
    return containerStatusOf(info);
  }

  /**
   * One non-streaming sample from the engine, only of containers this cluster made (checked by label once per
   * container: an id written into a pod's status by hand does not make the runtime read another container).
   */
  async containerStats(containerId: string): Promise<ContainerStats | undefined> {
    const { o } = this.s;
    if (!this.statsAllowed.has(containerId)) {
      const info = await o.engine.inspect(containerId);
      if (!info || info.labels[LABEL.cluster] !== o.clusterId || !info.running) return undefined;
      if (this.statsAllowed.size >= 10_000) this.statsAllowed.clear();
      this.statsAllowed.add(containerId);
    }
    const stats = await o.engine.stats(containerId);
    if (!stats) this.statsAllowed.delete(containerId);
    return stats;
  }

  /**
   * The containers in a pod's network. For a pod whose app container owned its network: that container, the
   * containers that joined it, and those of the sandbox that took the network over.
   */
  async listContainers(sandboxId: string): Promise<ContainerStatus[]> {
    const { engine } = this.s.o;
    await this.s.session.ready();
    const net = this.s.owned.get(sandboxId);
    const found = net
      ? (await engine.list({ ...this.s.base, [LABEL.podUid]: net.podUid })).filter(
          (c) =>
            c.id === net.owner ||
            (c.labels[LABEL.role] === 'container' && OwnedNetworks.joined(net, c.labels[LABEL.sandbox])),
        )
      : await engine.list({ ...this.s.base, [LABEL.sandbox]: sandboxId });
    const out: ContainerStatus[] = [];
    for (const c of found) {
      const info = await engine.inspect(c.id);
      if (info) out.push(containerStatusOf(info));
    }
    return out;
  }

  async logs(containerId: string, options: LogOptions): Promise<Readable> {
    const { o } = this.s;
    const since =
      options.sinceSeconds !== undefined ? Math.floor(o.clock.now() / 1000) - options.sinceSeconds : undefined;
    return o.engine.logs(containerId, {
      follow: options.follow === true,
      timestamps: options.timestamps === true,
      ...(options.tailLines !== undefined ? { tail: options.tailLines } : {}),
      ...(since !== undefined ? { since } : {}),
    });
  }

  async exec(containerId: string, command: string[], options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const { engine } = this.s.o;
    const info = await engine.inspect(containerId);
    if (!info?.running) throw new Error(`container ${containerId} is not running`);
    const h = await engine.exec(containerId, command, options);
    const session: ExecSession = { stdout: h.stdout, stderr: h.stderr, resize: h.resize, exitCode: h.exitCode };
    if (h.stdin) session.stdin = h.stdin as unknown as NonNullable<ExecSession['stdin']>;
    return session;
  }

  async attach(containerId: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    const { engine, clusterId } = this.s.o;
    const info = await engine.inspect(containerId);
    if (!info || info.labels[LABEL.cluster] !== clusterId || !info.running)
      throw new Error(`container ${containerId} is not running`);
    const h = await engine.attach(containerId, options);
    const session: ExecSession = { stdout: h.stdout, stderr: h.stderr, resize: h.resize, exitCode: h.exitCode };
    if (h.stdin) session.stdin = h.stdin as unknown as NonNullable<ExecSession['stdin']>;
    return session;
  }

  async probe(containerId: string, probe: Readonly<JsonObject>, podIp: string): Promise<ProbeResult> {
    const { o } = this.s;
    try {
      const info = await o.engine.inspect(containerId);
      if (!info) return { success: false, message: 'container is not running' };
      return await probeContainer(o.engine, o.clock, info, probe, podIp);
    } catch (error) {
      throwIfUnreachable(error);
      throw error;
    }
  }
}

function imagePullPolicy(spec: Readonly<JsonObject>): string {
  return typeof spec.imagePullPolicy === 'string' ? spec.imagePullPolicy : 'IfNotPresent';
}
