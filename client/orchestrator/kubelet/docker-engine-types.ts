/** What DockerEngine (docker-client.ts) hands to the runtime: the engine's objects, reduced to what the kubelet reads. */
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
