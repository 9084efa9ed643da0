/**
 * Dev mode assembled for a configuration and a cluster: the first run, then
 * the watch (DevSession), with the deployer, the sync copier and the target
 * lookup wired in. `kube-workbench run --watch` and the editor's "Run in Dev
 * Mode" both start it and stop it; it prints through `report`.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { deployer, devArtifactOf, expandGlobs, readManifests } from './dev-deployer.js';
import type { DevEvent } from './dev-events.js';
import { DevSession } from './dev-session.js';
import type { DevConfig } from './skaffold-config.js';
import { copyIntoContainer } from './sync-copy.js';
import { findRunningContainers } from './sync-targets.js';

export interface DevLoopOptions {
  conn: ClusterConnection;
  config: DevConfig;
  cliScript: string;
  execPath?: string;
  report: (event: DevEvent) => void;
  debounceMs?: number;
}

export interface DevLoop {
  session: DevSession;
  /** Whether the first run rolled out (dev mode watches either way: a fix is a save away). */
  firstRunOk: boolean;
  stop(): Promise<void>;
}

/** Runs the configuration once, then watches; resolves once watching. */
export async function startDevLoop(options: DevLoopOptions): Promise<DevLoop> {
  const { conn, config } = options;
  const manifests = await expandGlobs(config.manifests);
  const namespaces = new Set<string>();
  try {
    for (const o of await readManifests(manifests)) namespaces.add(o.metadata.namespace ?? conn.defaultNamespace);
  } catch {
    namespaces.add(conn.defaultNamespace); // the first run says what is wrong with them
  }
  const session = new DevSession({
    artifacts: config.artifacts.map(devArtifactOf),
    manifests,
    redeploy: deployer({
      conn,
      artifacts: config.artifacts,
      manifests: config.manifests,
      cliScript: options.cliScript,
      ...(options.execPath !== undefined ? { execPath: options.execPath } : {}),
    }),
    findTargets: (reference) => findRunningContainers(conn, [...namespaces], (image) => image === reference),
    copy: (target, change) => copyIntoContainer(conn, target, change),
    report: options.report,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
  });
  const firstRunOk = await session.deployAll();
  await session.start();
  return { session, firstRunOk, stop: () => session.stop() };
}
