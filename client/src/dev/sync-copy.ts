/**
 * Copies files into a running container and removes deleted ones, through the
 * Kubernetes exec API (so it works on any cluster, as `kubectl cp` does): a
 * tar stream on the standard input of `tar -x` in the container, and `rm -f`
 * for deletions. The container needs `tar` (and `rm` for deletions), as for
 * Skaffold's sync. Absolute destinations are extracted at `/`; relative ones
 * in the container's working directory (where an exec starts).
 */
import { posix } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { tarStream, type TarFile } from './sync-tar.js';

export interface ContainerTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface SyncChange {
  /** Files to write: local source and container path. */
  files: readonly TarFile[];
  /** Container paths to remove. */
  deleted: readonly string[];
}

const MAX_ARGS = 200;

/** Sends one change to one container; throws with what the container said when it fails. */
export async function copyIntoContainer(
  conn: ClusterConnection,
  target: ContainerTarget,
  change: SyncChange,
  timeoutMs = 60_000,
): Promise<void> {
  for (let i = 0; i < change.deleted.length; i += MAX_ARGS)
    await run(conn, target, ['rm', '-f', '--', ...change.deleted.slice(i, i + MAX_ARGS)], null, timeoutMs);
  const absolute = change.files.filter((f) => posix.isAbsolute(f.name));
  const relative = change.files.filter((f) => !posix.isAbsolute(f.name));
  if (absolute.length > 0)
    await run(conn, target, ['tar', '-x', '-m', '-o', '-f', '-', '-C', '/'], tarStream(absolute), timeoutMs);
  if (relative.length > 0)
    await run(conn, target, ['tar', '-x', '-m', '-o', '-f', '-'], tarStream(relative), timeoutMs);
}

function run(
  conn: ClusterConnection,
  target: ContainerTarget,
  command: string[],
  stdin: Readable | null,
  timeoutMs: number,
): Promise<void> {
  let said = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (said.length < 4096) said += chunk.toString('utf8');
      done();
    },
  });
  let socket: { close(): void } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const where = `${target.namespace}/${target.pod} (${target.container})`;
  return new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${command[0]} in ${where} did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    stdin?.on('error', (error) => reject(new Error(`reading the files for ${where}: ${error.message}`)));
    conn.pods
      .exec(target, command, { stdout: sink, stderr: sink, stdin, tty: false }, (status) => {
        if (status.status === 'Success') resolve();
        else
          reject(new Error(`${command[0]} in ${where} failed: ${said.trim() || status.message || 'no reason given'}`));
      })
      .then(
        (s) => (socket = s),
        (error: unknown) =>
          reject(new Error(`exec in ${where}: ${error instanceof Error ? error.message : String(error)}`)),
      );
  }).finally(() => {
    clearTimeout(timer);
    socket?.close();
    stdin?.destroy();
  });
}
