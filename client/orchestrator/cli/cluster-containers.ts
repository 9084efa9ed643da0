/**
 * The Docker objects of one cluster, found only by its label
 * (`kubelet/docker-labels.ts`): `cluster stop` stops its containers, `cluster
 * delete` removes its containers, volumes and network. Nothing without the
 * cluster's label is ever listed, stopped or removed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerEngine } from '../kubelet/docker-client';
import { LABEL } from '../kubelet/docker-labels';

/** Whether the cluster ever ran on Docker: the Docker runtime makes `kubelet/` in the data directory (cli/runtime-choice.ts). */
export function usedDocker(dataDir: string): boolean {
  return existsSync(join(dataDir, 'kubelet'));
}

/** The engine when it answers, else the reason it does not. */
export async function reachEngine(): Promise<{ engine: DockerEngine } | { problem: string }> {
  const engine = new DockerEngine();
  try {
    await engine.ping(5_000);
    return { engine };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Stops the cluster's running containers (SIGTERM, SIGKILL after `graceSeconds`), all at once. Returns how many. */
export async function stopContainers(engine: DockerEngine, clusterId: string, graceSeconds: number): Promise<number> {
  const running = (await engine.list({ [LABEL.cluster]: clusterId })).filter((c) => c.state === 'running');
  await Promise.all(running.map((c) => engine.stop(c.id, graceSeconds)));
  return running.length;
}

export interface Removed {
  containers: number;
  volumes: number;
  networks: number;
}

/** Removes the cluster's containers (forced), then its volumes and networks. */
export async function removeDockerObjects(engine: DockerEngine, clusterId: string): Promise<Removed> {
  const label = { [LABEL.cluster]: clusterId };
  const containers = await engine.list(label);
  // A container already gone (a pod's containers go with their sandbox) is fine; one still there is not.
  await Promise.all(
    containers.map((c) =>
      engine.remove(c.id).catch(async (error: unknown) => {
        if (await engine.inspect(c.id)) throw error;
      }),
    ),
  );
  const volumes = await engine.volumesByLabels(label);
  for (const v of volumes) await engine.removeVolume(v);
  const networks = await engine.networksByLabels(label);
  for (const n of networks) await engine.removeNetwork(n.id);
  return { containers: containers.length, volumes: volumes.length, networks: networks.length };
}
