/** What DockerClient and DockerEngine (docker-client.ts) take and hand back: the engine's objects, reduced to what the kubelet reads. */
import type { Readable } from 'node:stream';

/** The engine's view of one container. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: string;
  readonly running: boolean;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly error: string;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** network name -> IP address */
  readonly ips: Readonly<Record<string, string>>;
  /** container port -> host port on 127.0.0.1 */
  readonly ports: ReadonlyMap<number, number>;
}

export interface ContainerSummary {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: string;
}

/** A container create body as the engine's API takes it (`POST /containers/create`). */
export type CreateBody = Record<string, unknown>;

export interface ExecHandle {
  stdin?: NodeJS.WritableStream;
  stdout: Readable;
  stderr: Readable;
  resize: (width: number, height: number) => void;
  exitCode: Promise<number>;
}

export interface EngineEvent {
  readonly type: string;
  readonly action: string;
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A container for `DockerClient.run` (smoke tests, tools): not a pod's. */
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
