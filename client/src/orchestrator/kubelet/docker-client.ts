import Docker from 'dockerode';
import { createReadStream } from 'node:fs';

/**
 * The one file that imports `dockerode`. Everything else in the project talks
 * to the Docker engine through this small client, so the engine's API surface
 * we depend on stays visible in one place.
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

export interface RunningContainer {
  readonly id: string;
  /** container port -> host port on 127.0.0.1, as the engine assigned it */
  readonly ports: ReadonlyMap<number, number>;
}

export class DockerClient {
  private readonly docker: Docker;

  constructor(readonly socketPath: string = defaultSocketPath()) {
    this.docker = new Docker({ socketPath });
  }

  /** Resolves when the engine answers; rejects with a readable message otherwise. */
  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw new Error(
        `No Docker engine answers on ${this.socketPath} (${errorText(error)}). Start Docker (on Linux: 'dockerd &' as root).`,
      );
    }
  }

  async serverVersion(): Promise<string> {
    const version = await this.docker.version();
    return version.Version;
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch {
      return false;
    }
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
