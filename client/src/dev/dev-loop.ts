/**
 * Dev mode assembled for a configuration and a cluster: the first run, then
 * the watch (DevSession), with the deployer, the sync copier and the target
 * lookup wired in. `kube-workbench run --watch` and the editor's "Run in Dev
 * Mode" both start it and stop it; it prints through `report`.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { deployer, devArtifactOf, readManifests } from './dev-deployer.js';
import { imagesUsed } from './image-rewrite.js';
import type { ManifestObject } from '../run/manifest-documents.js';
import type { DevEvent } from './dev-events.js';
import { DevSession } from './dev-session.js';
import type { DevConfig } from './skaffold-config.js';
import { copyIntoContainer } from './sync-copy.js';
import { findRunningContainers } from './sync-targets.js';

export interface DevLoopOptions {
  conn: ClusterConnection;
  config: DevConfig;
  manifestFiles: readonly string[];
  cliScript: string;
  cwd?: string;
  execPath?: string;
  dockerSocket?: string;
  /** How long to wait for each workload's rollout. */
  rolloutTimeoutMs?: number;
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
  const { conn, config, manifestFiles } = options;
  let objects: ManifestObject[] = [];
  try {
    objects = await readManifests(manifestFiles);
  } catch {
    // the first run says what is wrong with them
  }
  const namespaces = new Set(objects.map((o) => o.metadata.namespace ?? conn.defaultNamespace));
  if (namespaces.size === 0) namespaces.add(conn.defaultNamespace);
  // Only the images the manifests run are built and watched.
  const used = new Set(
    imagesUsed(
      objects,
      config.artifacts.map((a) => a.image),
    ),
  );
  const artifacts = config.artifacts.filter((a) => used.has(a.image));
  const session = new DevSession({
    artifacts: artifacts.map(devArtifactOf),
    manifests: manifestFiles,
    redeploy: deployer({
      conn,
      artifacts,
      manifestFiles,
      cliScript: options.cliScript,
      ...(options.execPath !== undefined ? { execPath: options.execPath } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.dockerSocket ? { dockerSocket: options.dockerSocket } : {}),
      ...(options.rolloutTimeoutMs !== undefined ? { rolloutTimeoutMs: options.rolloutTimeoutMs } : {}),
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
