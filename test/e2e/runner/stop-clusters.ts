/**
 * What an e2e suite's window leaves behind: the embedded cluster is a detached
 * process (it outlives the window by design), and its Docker containers,
 * volumes and network outlive the process. Before the runner deletes a suite's
 * folders it stops every cluster whose data directory lies under them and
 * removes the Docker objects labelled with that cluster's id, and nothing else,
 * so later suites and benches start from a clean engine.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DockerEngine } from '../../../client/orchestrator/kubelet/docker-client.js';
import { LABEL, networkName } from '../../../client/orchestrator/kubelet/docker-labels.js';
import { clusterIdFor } from '../../../client/orchestrator/kubelet/docker-runtime-factory.js';
import {
  clusterProcessFor,
  DATA_DIR_FILES,
  lockHolder,
  processAlive,
} from '../../../client/orchestrator/protocol/index.js';

/** Data directories of clusters under `root`: folders holding a cluster lock file. */
export function clusterDataDirs(root: string, depth = 8): string[] {
  if (depth < 0 || !existsSync(root)) return [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const found = names.includes(DATA_DIR_FILES.lock) && names.includes(DATA_DIR_FILES.kubeconfig) ? [root] : [];
  for (const name of names) {
    if (name === 'node_modules' || name === 'extensions') continue;
    const path = join(root, name);
    try {
      if (statSync(path).isDirectory()) found.push(...clusterDataDirs(path, depth - 1));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Stops the clusters whose data directories lie under `root` and removes what they made in Docker. */
export async function stopClustersUnder(root: string, tag: string): Promise<void> {
  for (const dir of clusterDataDirs(root)) {
    const pid = await lockHolder(dir);
    // Only the process that serves this very directory (a pid may have been reused).
    if (pid !== undefined && processAlive(pid) && clusterProcessFor(pid, dir) !== 'no') {
      console.log(`${tag} stopping the cluster left running in ${dir} (pid ${pid})`);
      await stopProcess(pid);
    }
    await removeDockerObjects(clusterIdFor(resolve(dir)), tag);
  }
}

async function stopProcess(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (processAlive(pid) && Date.now() < deadline) await delay(100);
  if (processAlive(pid)) signal(pid, 'SIGKILL');
}

async function removeDockerObjects(clusterId: string, tag: string): Promise<void> {
  let engine: DockerEngine;
  try {
    engine = new DockerEngine();
    await engine.ping();
  } catch {
    return; // no engine: the cluster ran on the fake runtime, nothing to remove
  }
  const labels = { [LABEL.cluster]: clusterId };
  try {
    const containers = await engine.list(labels);
    await Promise.all(containers.map((c) => engine.remove(c.id).catch(() => undefined)));
    for (const v of await engine.volumesByLabels(labels)) await engine.removeVolume(v).catch(() => undefined);
    for (const n of await engine.networksByLabels(labels))
      if (n.name === networkName(clusterId)) await engine.removeNetwork(n.id).catch(() => undefined);
    if (containers.length > 0) console.log(`${tag} removed ${containers.length} containers of cluster ${clusterId}`);
  } catch (error) {
    console.log(
      `${tag} could not clean up cluster ${clusterId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
