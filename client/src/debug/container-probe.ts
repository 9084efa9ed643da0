/**
 * What a running container runs, read through exec with nothing but `cat`:
 * the command line of its first process (`/proc/1/cmdline`, the image's
 * entrypoint and command included) and the first 32 KiB of that process's
 * executable (`/proc/1/exe`), enough to tell a Go program by its build ID.
 * Every read is bounded in bytes and time. No `vscode` here.
 */
import { Writable } from 'node:stream';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { ExecTarget } from './node-inspector.js';

/** How much of the executable is read: Go's build ID note sits in the first pages. */
export const EXECUTABLE_HEAD_BYTES = 32 * 1024;

/** Runs `command` and resolves with up to `maxBytes` of its standard output (closing the exec once it has them). */
export function readFromContainer(
  conn: ClusterConnection,
  target: ExecTarget,
  command: string[],
  maxBytes: number,
  timeoutMs = 10_000,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let socket: { close(): void } | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.close();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).subarray(0, maxBytes));
    };
    const timer = setTimeout(
      () => finish(new Error(`${command.join(' ')} in ${target.pod} did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (size < maxBytes) chunks.push(chunk);
        size += chunk.length;
        done();
        if (size >= maxBytes) finish();
      },
    });
    conn.pods
      .exec(target, command, { stdout: sink, stderr: null, stdin: null, tty: false }, (status) => {
        if (status.status === 'Success' || size > 0) finish();
        else
          finish(
            new Error(`${command.join(' ')} in ${target.pod} (${target.container}): ${status.message ?? 'failed'}`),
          );
      })
      .then(
        (s) => {
          socket = s;
          if (settled) s.close();
        },
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
  });
}

/** A NUL-separated command line (`/proc/PID/cmdline`) as its arguments. */
export function parseCmdline(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export interface ContainerProcess {
  /** The command line of the container's first process. */
  argv: string[];
  /** The first bytes of its executable; undefined when they could not be read. */
  executableHead?: Buffer;
}

/** Reads the container's first process: its command line, then the head of its executable. */
export async function probeContainer(conn: ClusterConnection, target: ExecTarget): Promise<ContainerProcess> {
  const argv = parseCmdline(await readFromContainer(conn, target, ['cat', '/proc/1/cmdline'], 256 * 1024));
  try {
    const executableHead = await readFromContainer(conn, target, ['cat', '/proc/1/exe'], EXECUTABLE_HEAD_BYTES);
    return { argv, executableHead };
  } catch {
    return { argv };
  }
}
