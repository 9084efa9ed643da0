/** What DockerClient sends the engine (bodies, queries) and how its progress streams end: what needs none of dockerode's types. */
import type { ContainerRunSpec, ImageBuildOptions } from './docker-engine-types';

/** The engine's label filter: every `key=value` must match. */
export function labelFilter(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** `POST /containers/create` for `DockerClient.run`: published ports on 127.0.0.1 (host port 0: any free one). */
export function runCreateBody(spec: ContainerRunSpec) {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const [containerPort, hostPort] of Object.entries(spec.publish ?? {})) {
    exposed[`${containerPort}/tcp`] = {};
    bindings[`${containerPort}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: hostPort === 0 ? '' : String(hostPort) }];
  }
  return {
    Image: spec.image,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(spec.cmd !== undefined ? { Cmd: [...spec.cmd] } : {}),
    ...(spec.env !== undefined ? { Env: [...spec.env] } : {}),
    Labels: { ...spec.labels },
    ExposedPorts: exposed,
    HostConfig: { PortBindings: bindings },
  };
}

/** `POST /build`'s query: the classic builder, intermediate containers removed even when a step fails. */
export function buildQuery(options: ImageBuildOptions): Record<string, unknown> {
  return {
    t: options.tag,
    dockerfile: options.dockerfile,
    buildargs: { ...options.buildArgs },
    ...(options.labels ? { labels: { ...options.labels } } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    rm: true,
    forcerm: true,
    version: '1',
  };
}

/** `repo[:tag]` split at the tag's colon (a registry's port colon comes before the last slash). */
export function splitRef(ref: string): [string, string | undefined] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
}

/** `GET /containers/{id}/logs`'s query: both streams. */
export function logsQuery(options: { follow: boolean; tail?: number; since?: number; timestamps: boolean }) {
  return {
    stdout: true,
    stderr: true,
    follow: options.follow,
    timestamps: options.timestamps,
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
  };
}

/** `POST /containers/{id}/exec`: stdout and stderr always attached, stdin and a TTY on request. */
export function execCreateBody(cmd: readonly string[], options: { stdin: boolean; tty: boolean }) {
  return {
    Cmd: [...cmd],
    AttachStdin: options.stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
  };
}

/** The end of a pull, import or build progress stream: its transport's error, else the first message's `error`. */
export function progressOutcome(resolve: () => void, reject: (error: Error) => void) {
  return (error: Error | null, output: { error?: string }[]): void => {
    const failed = output?.find((o) => o.error);
    if (error) reject(error);
    else if (failed?.error) reject(new Error(failed.error));
    else resolve();
  };
}
