/**
 * The one file that imports `dockerode`. Everything else in the project talks
 * to the Docker engine through this small client, so the engine's API surface
 * we depend on stays visible in one place (its types: docker-engine-types.ts,
 * its errors: docker-errors.ts; what it makes of the engine's answers:
 * docker-inspect.ts, docker-output-streams.ts, docker-stats.ts).
 */
import type Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type {
  ContainerInfo,
  ContainerRunSpec,
  ContainerSummary,
  CreateBody,
  EngineEvent,
  ExecHandle,
  ImageBuildOptions,
  RunningContainer,
} from './docker-engine-types';
import { containerInfoOf, hostPorts } from './docker-inspect';
import { execHandle, logStream, type Demux } from './docker-output-streams';
import {
  buildQuery,
  execCreateBody,
  labelFilter,
  logsQuery,
  progressOutcome,
  runCreateBody,
  splitRef,
} from './docker-request-bodies';
import { defaultSocketPath, traceEngineCalls } from './docker-socket';
import { engineStats, type EngineStats } from './docker-stats';
import { errorText, isEngineUnreachable, unlessStatus } from './docker-errors';
import { LABEL } from './docker-labels';
import { splitSubnet } from './pod-ips';
import { readEngineEvents } from './docker-event-stream';
import { StartsInFlight } from './starts-in-flight';

/**
 * dockerode, loaded on first use: with its gRPC (BuildKit sessions) and SSH
 * dependencies it is a large part of the orchestrator's start-up, and the API
 * serves before any engine client is made.
 */
function dockerode(): typeof Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('dockerode') as typeof Docker;
}

export class DockerClient {
  protected readonly docker: Docker;

  constructor(readonly socketPath: string = defaultSocketPath()) {
    const Dockerode = dockerode();
    this.docker = new Dockerode({ socketPath });
    const trace = process.env['KW_ENGINE_TRACE'];
    if (trace) traceEngineCalls(this.docker.modem, trace);
  }

  /** Resolves when the engine answers (within `timeoutMs`); rejects with a readable message otherwise. */
  async ping(timeoutMs = 10_000): Promise<void> {
    try {
      // dockerode takes an abort signal here; its type declarations only know the bare ping().
      const ping = this.docker.ping.bind(this.docker) as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
      await ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const why =
        (error as { name?: unknown }).name === 'AbortError' ? `no answer within ${timeoutMs} ms` : errorText(error);
      throw new Error(
        `No Docker engine answers on ${this.socketPath} (${why}). Start Docker (on Linux: 'dockerd &' as root).`,
      );
    }
  }

  async serverVersion(): Promise<string> {
    const version = await this.docker.version();
    return version.Version;
  }

  async imageExists(ref: string): Promise<boolean> {
    // An engine that does not answer is not the same as "no such image": that one throws.
    return unlessStatus(404, false, async () => {
      await this.docker.getImage(ref).inspect();
      return true;
    });
  }

  /** `docker import`: a root file system tarball becomes an image, with Dockerfile-style changes. */
  async importImage(tarPath: string, ref: string, changes: readonly string[] = []): Promise<void> {
    const [repo, tag = 'latest'] = splitRef(ref);
    const stream = await this.docker.importImage(createReadStream(tarPath), {
      repo,
      tag,
      changes: [...changes],
    } as object);
    await followProgress(this.docker, stream);
    if (!(await this.imageExists(ref))) throw new Error(`docker import of ${tarPath} did not produce ${ref}`);
  }

  /**
   * `docker build` of a context tar with the engine's classic builder (its messages name steps and
   * lines); intermediate containers are removed even when a step fails. Each progress message goes to
   * `onMessage`; rejects with the engine's message (a Dockerfile parse error is the request's own error).
   */
  async buildImage(context: Readable, options: ImageBuildOptions, onMessage: (message: object) => void): Promise<void> {
    const stream = await this.docker.buildImage(context, buildQuery(options) as Docker.ImageBuildOptions);
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, progressOutcome(resolve, reject), (message: object) =>
        onMessage(message),
      );
    });
  }

  async run(spec: ContainerRunSpec): Promise<RunningContainer> {
    const container = await this.docker.createContainer(runCreateBody(spec));
    await container.start();
    const info = await container.inspect();
    return { id: info.Id, ports: hostPorts(info.NetworkSettings.Ports) };
  }

  /** Ids of the containers (running or not) that carry every given label. */
  async listByLabels(labels: Readonly<Record<string, string>>): Promise<string[]> {
    const filters = { label: labelFilter(labels) };
    const list = await this.docker.listContainers({ all: true, filters });
    return list.map((c) => c.Id);
  }

  async remove(id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true, v: true });
  }
}

/** The parts of the engine's API that the Docker runtime uses. */
export class DockerEngine extends DockerClient {
  private get api(): Docker {
    return this.docker;
  }

  /** Creates and starts in flight: a Service's proxy waits for the pods' (service-proxies.ts). */
  readonly starts = new StartsInFlight();

  create(body: CreateBody): Promise<string> {
    return this.starts.track(async () => (await this.api.createContainer(body)).id);
  }

  start(id: string): Promise<void> {
    return this.starts.track(async () => {
      await this.api.getContainer(id).start();
    });
  }

  /** Freezes every process of the container (cgroup freezer); one already paused is left so. */
  async pause(id: string): Promise<void> {
    await unlessStatus(409, undefined, () => this.api.getContainer(id).pause()); // 409: already paused, or not running
  }

  /** Thaws a paused container; one not paused is left so. */
  async unpause(id: string): Promise<void> {
    await unlessStatus(409, undefined, () => this.api.getContainer(id).unpause()); // 409: not paused
  }

  /** Resolves with the exit code once the container has stopped. */
  async wait(id: string): Promise<number> {
    const result = (await this.api.getContainer(id).wait()) as { StatusCode?: number };
    return result.StatusCode ?? -1;
  }

  /** SIGTERM (or the image's stop signal), then SIGKILL after `seconds`. */
  async stop(id: string, seconds: number): Promise<void> {
    // 304: already stopped
    await unlessStatus(304, undefined, () => this.api.getContainer(id).stop({ t: Math.max(0, Math.round(seconds)) }));
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const info = await unlessStatus(404, undefined, () => this.api.getContainer(id).inspect());
    return info ? containerInfoOf(info) : undefined;
  }

  /**
   * One sample of a running container's counters, not streamed and without the engine's second
   * sample (`one-shot`: it answers at once); undefined when the container is gone or stopped.
   */
  async stats(id: string): Promise<EngineStats | undefined> {
    // `one-shot` is an engine query parameter (API 1.41) dockerode passes through but does not declare.
    const options = { stream: false, 'one-shot': true } as { stream: false };
    const raw: unknown = await unlessStatus(404, undefined, () => this.api.getContainer(id).stats(options));
    return raw === undefined ? undefined : engineStats(raw);
  }

  /** Containers (running or not) that carry every given label. */
  async list(labels: Readonly<Record<string, string>>): Promise<ContainerSummary[]> {
    const filters = { label: labelFilter(labels) };
    const list = await this.api.listContainers({ all: true, filters });
    return list.map((c) => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }));
  }

  async imageId(ref: string): Promise<string | undefined> {
    return unlessStatus(404, undefined, async () => (await this.api.getImage(ref).inspect()).Id);
  }

  /** Pulls an image; rejects with the engine's message. */
  async pull(ref: string): Promise<void> {
    const stream = await this.api.pull(ref);
    await followProgress(this.api, stream);
  }

  private readonly networks = new Map<string, Promise<NetworkInfo>>();

  /** Creates the network unless it exists; concurrent callers share one attempt (the engine does not stop duplicates). */
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<NetworkInfo> {
    let pending = this.networks.get(name);
    if (!pending) {
      pending = this.createNetwork(name, labels).catch((error: unknown) => {
        this.networks.delete(name);
        throw error;
      });
      this.networks.set(name, pending);
    }
    return pending;
  }

  /**
   * A bridge network with a subnet of its own, so pods can be given fixed addresses (`--ip`): the engine takes
   * those only on a network created with a subnet. The subnet is the one the engine picks for a network without
   * one (free of the machine's other networks, from its configured pools), read from a first network that is then
   * made again with it; the lower half stays the engine's to hand out, the upper half is the pods' (labelled
   * `LABEL.podIps`). Another network taking the subnet meanwhile (clusters starting together) makes it try again.
   * A network that exists is used as it is: one made before (no pod range) keeps a sandbox per pod.
   */
  private async createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<NetworkInfo> {
    const bridge = { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { ...labels } };
    for (let attempt = 0; ; attempt++) {
      const existing = (await this.api.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
      if (existing) return networkInfoOf(existing.Labels);
      const probe = await unlessStatus(409, undefined, () => this.api.createNetwork(bridge));
      if (!probe) continue; // made meanwhile: read it
      const ipam = ((await probe.inspect()) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null } })
        .IPAM?.Config?.[0];
      const halves = splitSubnet(ipam?.Subnet ?? '');
      if (!ipam?.Subnet || !halves || attempt >= 8) return {}; // kept as the engine made it: sandboxes
      await probe.remove();
      const body = {
        ...bridge,
        IPAM: {
          Driver: 'default',
          Config: [{ Subnet: ipam.Subnet, IPRange: halves.auto, ...(ipam.Gateway ? { Gateway: ipam.Gateway } : {}) }],
        },
        Labels: { ...labels, [LABEL.podIps]: halves.pods },
      };
      try {
        await this.api.createNetwork(body);
        return { podIps: halves.pods };
      } catch (error) {
        if (isEngineUnreachable(error)) throw error;
        // 409: made meanwhile (read it above); otherwise the subnet was taken meanwhile: ask again.
      }
    }
  }

  /** Removes a network by ID (or unique name). */
  async removeNetwork(name: string): Promise<void> {
    this.networks.delete(name);
    await unlessStatus(404, undefined, () => this.api.getNetwork(name).remove());
  }

  /** Networks carrying every given label, by ID and name. */
  async networksByLabels(labels: Readonly<Record<string, string>>): Promise<{ id: string; name: string }[]> {
    const filters = { label: labelFilter(labels) };
    return (await this.api.listNetworks({ filters })).map((n) => ({ id: n.Id, name: n.Name }));
  }

  async ensureVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    try {
      await this.api.getVolume(name).inspect();
    } catch {
      await this.api.createVolume({ Name: name, Labels: { ...labels } });
    }
  }

  /** Where the engine keeps a volume's files, on the engine's own file system (bind mounts resolve there). */
  async volumeMountpoint(name: string): Promise<string> {
    return (await this.api.getVolume(name).inspect()).Mountpoint;
  }

  async removeVolume(name: string): Promise<void> {
    await unlessStatus(404, undefined, () => this.api.getVolume(name).remove({ force: true }));
  }

  async volumesByLabels(labels: Readonly<Record<string, string>>): Promise<string[]> {
    const filters = { label: labelFilter(labels) };
    const result = await this.api.listVolumes({ filters });
    return (result.Volumes ?? []).map((v) => v.Name);
  }

  /** The container's output, stdout and stderr interleaved as the engine stored them. */
  async logs(
    id: string,
    options: { follow: boolean; tail?: number; since?: number; timestamps: boolean },
  ): Promise<Readable> {
    const container = this.api.getContainer(id);
    const tty = (await container.inspect()).Config.Tty;
    const query = logsQuery(options);
    const raw = (await container.logs(query as Docker.ContainerLogsOptions & { follow: true })) as unknown;
    return logStream(raw, tty, this.demux);
  }

  async exec(id: string, cmd: readonly string[], options: { stdin: boolean; tty: boolean }): Promise<ExecHandle> {
    const exec = await this.api.getContainer(id).exec(execCreateBody(cmd, options));
    const stream = await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty });
    return execHandle(stream, options.stdin, options.tty, this.demux, {
      exitCode: () => exec.inspect().then((i) => i.ExitCode ?? 1),
      resize: (w, h) => exec.resize({ w, h }),
    });
  }

  /** The container's own process streams (`docker attach`); ends when the container stops. */
  async attach(id: string, options: { stdin: boolean; tty: boolean }): Promise<ExecHandle> {
    const container = this.api.getContainer(id);
    const tty = (await container.inspect()).Config.Tty;
    const stream = await container.attach({
      stream: true,
      stdin: options.stdin,
      stdout: true,
      stderr: true,
      hijack: true,
    });
    return execHandle(stream, options.stdin, tty, this.demux, {
      exitCode: () => container.inspect().then((i) => (i.State.Running ? 0 : (i.State.ExitCode ?? 0))),
      resize: (w, h) => container.resize({ w, h }),
    });
  }

  /** The engine's multiplexed stdout/stderr frames of a live stream, split. */
  private readonly demux: Demux = (stream, stdout, stderr) => this.api.modem.demuxStream(stream, stdout, stderr);

  /** Follows the engine's container events with these labels until the returned function is called or the stream ends. */
  async events(
    labels: Readonly<Record<string, string>>,
    onEvent: (event: EngineEvent) => void,
    onEnd: () => void,
  ): Promise<() => void> {
    const filters = { type: ['container'], label: labelFilter(labels) };
    const stream = (await this.api.getEvents({
      filters,
    } as Docker.GetEventsOptions)) as unknown as NodeJS.ReadableStream & {
      destroy(): void;
    };
    return readEngineEvents(stream, onEvent, onEnd);
  }
}

/** What the runtime reads of the cluster network: the range of fixed pod IPs, when it was made with one. */
export interface NetworkInfo {
  podIps?: string;
}

function networkInfoOf(labels: Readonly<Record<string, string>> | null | undefined): NetworkInfo {
  const podIps = labels?.[LABEL.podIps];
  return podIps ? { podIps } : {};
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, progressOutcome(resolve, reject));
  });
}
