/**
 * `kube-workbench run --watch`: dev mode on the command line. The first run
 * builds and applies as `run` does; then every save prints what dev mode did
 * ("synced 2 files to 3 pods in 140 ms", "rebuilt web in 3.1 s, rolling out")
 * until Ctrl+C (or SIGTERM), which stops the watch and exits 0; the workloads
 * keep running.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { devEventText, type DevEvent } from './dev-events.js';
import { startDevLoop } from './dev-loop.js';
import type { DevProject } from './dev-project.js';

export interface WatchIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  cliScript: string;
  timeoutMs?: number;
  /** Stops the watch (default: SIGINT or SIGTERM). */
  stopped?: Promise<void>;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function runWatch(project: DevProject, conn: ClusterConnection, io: WatchIo): Promise<number> {
  const stopped = io.stopped ?? signalled();
  let lastProgress = '';
  const report = (event: DevEvent) => {
    const line = devEventText(event);
    if (event.type === 'progress') {
      if (line !== lastProgress) io.out(`  ${line}`);
      lastProgress = line;
    } else if (event.type === 'sync-failed' || event.type === 'deploy-failed' || event.type === 'problem') io.err(line);
    else io.out(line);
    if (event.type === 'watching') io.out('press Ctrl+C to stop (the workloads keep running)');
  };
  io.out(`applying to context ${conn.contextName}`);
  const loop = await startDevLoop({
    conn,
    config: project.config,
    manifestFiles: project.manifestFiles,
    cliScript: io.cliScript,
    cwd: io.cwd,
    ...(io.timeoutMs !== undefined ? { rolloutTimeoutMs: io.timeoutMs } : {}),
    report,
  });
  if (loop.firstRunOk) io.out('ready');
  await stopped;
  await loop.stop();
  return 0;
}
