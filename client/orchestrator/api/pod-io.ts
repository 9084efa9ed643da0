/**
 * What the API server needs from the kubelets to serve `pods/log` and
 * `pods/exec`, `pods/attach` and `pods/portforward`: a pod's container output, a process in
 * it and a TCP connection to one of its ports. Set on the API
 * context by whoever runs the kubelets; absent, those subresources say so.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Stored } from '../store/object-store';

export interface PodIo {
  logs(pod: Stored, container: string, options: LogOptions): Promise<Readable>;
  exec(
    pod: Stored,
    container: string,
    command: string[],
    options: { stdin: boolean; tty: boolean },
  ): Promise<ExecSession>;
  /** The container's main process (`pods/attach`): its output, and its stdin when it has one open. */
  attach(pod: Stored, container: string, options: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  /** A TCP connection to `port` in the pod's network namespace. */
  portForward(pod: Stored, port: number): Promise<Duplex>;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  /** The previous (exited) instance of the container. */
  previous?: boolean;
}

export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  stderr: Readable;
  resize?(width: number, height: number): void;
  /** Resolves with the command's exit code. */
  exitCode: Promise<number>;
}
