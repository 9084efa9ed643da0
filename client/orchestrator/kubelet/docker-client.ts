import type Docker from 'dockerode';
import { appendFileSync, createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import type { ContainerInfo, ContainerSummary, CreateBody, EngineEvent, ExecHandle } from './docker-engine-types';
import { engineStats, type EngineStats } from './docker-stats';
import { errorText, unlessStatus } from './docker-errors';
import { readEngineEvents } from './docker-event-stream';
import { StartsInFlight } from './starts-in-flight';

/**
 * The one file that imports `dockerode`. Everything else in the project talks
 * to the Docker engine through this small client, so the engine's API surface
 * we depend on stays visible in one place (its types: docker-engine-types.ts,
 * its errors: docker-errors.ts).
 */
export interface ContainerRunSpec {
  readonly image: string;
  readonly name?: string;
  readonly cmd?: readonly string[];
  readonly env?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** container port (e.g. 80) -> host port on 127.0.0.1 (0 picks a free one) */
  readonly publish?: Readonly<Record<number, number>>;
}

export interface ImageBuildOptions {
  /** The full reference to tag the image with. */
  readonly tag: string;
  /** The Dockerfile's path inside the context tar. */
  readonly dockerfile: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly target?: string;
  /** Labels for the image (each one costs the classic builder one more step: a container commit). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RunningContainer {
  readonly id: string;
  /** container port -> host port on 127.0.0.1, as the engine assigned it */
  readonly ports: ReadonlyMap<number, number>;
}

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
    if (trace) traceCalls(this.docker, trace);
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
    const stream = await this.docker.buildImage(context, {
      t: options.tag,
      dockerfile: options.dockerfile,
      buildargs: { ...options.buildArgs },
      ...(options.labels ? { labels: { ...options.labels } } : {}),
      ...(options.target !== undefined ? { target: options.target } : {}),
      rm: true,
      forcerm: true,
      version: '1',
    } as Docker.ImageBuildOptions);
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, output: { error?: string }[]) => {
          const failed = output?.find((o) => o.error);
          if (error) reject(error);
          else if (failed?.error) reject(new Error(failed.error));
          else resolve();
        },
        (message: object) => onMessage(message),
      );
    });
  }

  async run(spec: ContainerRunSpec): Promise<RunningContainer> {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const [containerPort, hostPort] of Object.entries(spec.publish ?? {})) {
      exposed[`${containerPort}/tcp`] = {};
      bindings[`${containerPort}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: hostPort === 0 ? '' : String(hostPort) }];
    }
    const container = await this.docker.createContainer({
      Image: spec.image,
      ...(spec.name !== undefined ? { name: spec.name } : {}),
      ...(spec.cmd !== undefined ? { Cmd: [...spec.cmd] } : {}),
      ...(spec.env !== undefined ? { Env: [...spec.env] } : {}),
      Labels: { ...spec.labels },
      ExposedPorts: exposed,
      HostConfig: { PortBindings: bindings },
    });
    await container.start();
    const info = await container.inspect();
    const ports = new Map<number, number>();
    for (const [key, value] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const hostPort = value?.[0]?.HostPort;
      if (hostPort) ports.set(Number.parseInt(key, 10), Number.parseInt(hostPort, 10));
    }
    return { id: info.Id, ports };
  }

  /** Ids of the containers (running or not) that carry every given label. */
  async listByLabels(labels: Readonly<Record<string, string>>): Promise<string[]> {
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    const list = await this.docker.listContainers({ all: true, filters });
    return list.map((c) => c.Id);
  }

  async remove(id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true, v: true });
  }
}

const time = (value: string | undefined): number | undefined => {
  if (!value || value.startsWith('0001-')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

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
    if (!info) return undefined;
    const ips: Record<string, string> = {};
    for (const [name, net] of Object.entries(info.NetworkSettings.Networks ?? {}))
      if (net.IPAddress) ips[name] = net.IPAddress;
    const ports = new Map<number, number>();
    for (const [key, value] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const hostPort = value?.[0]?.HostPort;
      if (hostPort) ports.set(Number.parseInt(key, 10), Number.parseInt(hostPort, 10));
    }
    const state = info.State as Docker.ContainerInspectInfo['State'] & { Error?: string };
    const startedAt = time(state.StartedAt);
    const finishedAt = time(state.FinishedAt);
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      image: info.Config.Image,
      imageId: info.Image,
      labels: info.Config.Labels ?? {},
      status: state.Status,
      running: state.Running,
      exitCode: state.ExitCode,
      oomKilled: state.OOMKilled,
      error: state.Error ?? '',
      createdAt: time(info.Created) ?? 0,
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(finishedAt !== undefined ? { finishedAt } : {}),
      ips,
      ports,
    };
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
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
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

  private readonly networks = new Map<string, Promise<void>>();

  /** Creates the network unless it exists; concurrent callers share one attempt (the engine does not stop duplicates). */
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
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

  private async createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const existing = await this.api.listNetworks({ filters: { name: [name] } });
    if (existing.some((n) => n.Name === name)) return;
    const body = { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { ...labels } };
    await unlessStatus(409, undefined, () => this.api.createNetwork(body)); // 409: made meanwhile
  }

  /** Removes a network by ID (or unique name). */
  async removeNetwork(name: string): Promise<void> {
    this.networks.delete(name);
    await unlessStatus(404, undefined, () => this.api.getNetwork(name).remove());
  }

  /** Networks carrying every given label, by ID and name. */
  async networksByLabels(labels: Readonly<Record<string, string>>): Promise<{ id: string; name: string }[]> {
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
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
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
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
    const query = {
      stdout: true,
      stderr: true,
      follow: options.follow,
      timestamps: options.timestamps,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
    };
    const raw = (await container.logs(query as Docker.ContainerLogsOptions & { follow: true })) as unknown;
    const out = new PassThrough();
    if (Buffer.isBuffer(raw)) {
      out.end(tty ? raw : demuxBuffer(raw));
      return out;
    }
    const stream = raw as NodeJS.ReadableStream & { destroy?: () => void };
    stream.on('error', () => out.end()); // the engine went away mid-stream: end the logs, do not crash
    if (tty) stream.pipe(out);
    else {
      this.api.modem.demuxStream(stream, out, out);
      stream.on('end', () => out.end());
    }
    out.on('close', () => stream.destroy?.());
    return out;
  }

  async exec(id: string, cmd: readonly string[], options: { stdin: boolean; tty: boolean }): Promise<ExecHandle> {
    const exec = await this.api.getContainer(id).exec({
      Cmd: [...cmd],
      AttachStdin: options.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
    });
    const stream = await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty });
    return this.handle(stream, options.stdin, options.tty, {
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
    return this.handle(stream, options.stdin, tty, {
      exitCode: () => container.inspect().then((i) => (i.State.Running ? 0 : (i.State.ExitCode ?? 0))),
      resize: (w, h) => container.resize({ w, h }),
    });
  }

  /** A hijacked exec or attach stream as stdout/stderr (demultiplexed without a TTY), stdin and the exit code. */
  private handle(
    stream: NodeJS.ReadWriteStream,
    stdin: boolean,
    tty: boolean,
    o: { exitCode: () => Promise<number>; resize: (w: number, h: number) => Promise<unknown> },
  ): ExecHandle {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (tty) stream.pipe(stdout);
    else this.api.modem.demuxStream(stream, stdout, stderr);
    const exitCode = new Promise<number>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        stdout.end();
        stderr.end();
        o.exitCode().then(resolve, () => resolve(1));
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
    });
    return {
      ...(stdin ? { stdin: stream } : {}),
      stdout,
      stderr,
      resize: (w, h) => void o.resize(w, h).catch(() => undefined),
      exitCode,
    };
  }

  /** Follows the engine's container events with these labels until the returned function is called or the stream ends. */
  async events(
    labels: Readonly<Record<string, string>>,
    onEvent: (event: EngineEvent) => void,
    onEnd: () => void,
  ): Promise<() => void> {
    const filters = { type: ['container'], label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    const stream = (await this.api.getEvents({
      filters,
    } as Docker.GetEventsOptions)) as unknown as NodeJS.ReadableStream & {
      destroy(): void;
    };
    return readEngineEvents(stream, onEvent, onEnd);
  }
}

/** Docker's multiplexed log format (8-byte frame headers) to plain bytes. */
function demuxBuffer(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}

/**
 * With `KW_ENGINE_TRACE=FILE`, every request to the engine is appended to FILE as `ms method path`
 * (the path without its query): to count the engine calls of an apply (bench/apply-timeline.mjs).
 */
function traceCalls(docker: Docker, file: string): void {
  const modem = docker.modem as { dial: (options: { method?: string; path?: string }, ...rest: unknown[]) => unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (options, ...rest) => {
    const path = String(options.path ?? '').split('?')[0] ?? '';
    appendFileSync(file, `${Date.now()} ${options.method ?? 'GET'} ${path}\n`);
    return dial(options, ...rest);
  };
}

export function defaultSocketPath(): string {
  const host = process.env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

function splitRef(ref: string): [string, string | undefined] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = output?.find((o) => o.error);
      if (error) reject(error);
      else if (failed?.error) reject(new Error(failed.error));
      else resolve();
    });
  });
}
