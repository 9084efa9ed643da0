/**
 * `cluster start --runtime docker` as a child process for the Docker kubelet
 * tests, and the clean-up that removes every container, volume and network
 * carrying that cluster's label (and nothing else).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../../client/orchestrator/kubelet/docker-client.js';
import { LABEL, networkName } from '../../../client/orchestrator/kubelet/docker-labels.js';
import { clusterIdFor } from '../../../client/orchestrator/kubelet/docker-runtime-factory.js';
import {
  kubectlIn,
  startClusterProcess,
  stopClusterProcess,
  type ClusterProcess,
  type KubectlResult,
} from './cluster-process.js';
import { ensureBusyboxImage } from './test-image.js';

export interface DockerCluster {
  cluster: ClusterProcess;
  engine: DockerEngine;
  image: string;
  clusterId: string;
  root: string;
  kubectl(args: string[], input?: string): KubectlResult;
  /** `kubectl apply -f -` of `yaml`, which must succeed. */
  apply(yaml: string): void;
  /** Stops the process (SIGTERM) and starts it again on the same data directory. */
  restart(): Promise<void>;
  /** The cluster's containers as the engine lists them. */
  containers(
    labels?: Record<string, string>,
  ): Promise<{ id: string; labels: Readonly<Record<string, string>>; state: string }[]>;
  destroy(): Promise<void>;
}

/**
 * `env` goes to the cluster process only (the test's own engine client keeps the machine's socket); `beforeStart`
 * runs once the cluster's id is known, before its process starts.
 */
export async function startDockerCluster(
  extra: string[] = [],
  env: Record<string, string> = {},
  beforeStart?: (clusterId: string, engine: DockerEngine) => Promise<void>,
): Promise<DockerCluster> {
  const engine = new DockerEngine();
  await engine.ping();
  const image = await ensureBusyboxImage(engine);
  const root = mkdtempSync(join(tmpdir(), 'kw-docker-'));
  const dataDir = join(root, 'data');
  const clusterId = clusterIdFor(dataDir);
  const args = ['--runtime', 'docker', ...extra];
  await beforeStart?.(clusterId, engine);
  const dc: DockerCluster = {
    cluster: await startClusterProcess(dataDir, args, env),
    engine,
    image,
    clusterId,
    root,
    kubectl: (a, input) => kubectlIn(dc.cluster, join(root, 'cache'), a, input),
    apply: (yaml) => {
      const r = dc.kubectl(['apply', '-f', '-'], yaml);
      assert.equal(r.code, 0, r.err);
    },
    restart: async () => {
      await stopClusterProcess(dc.cluster);
      dc.cluster = await startClusterProcess(dataDir, args, env);
    },
    containers: (labels = {}) => engine.list({ [LABEL.cluster]: clusterId, ...labels }),
    destroy: async () => {
      await stopClusterProcess(dc.cluster).catch(() => undefined);
      await removeCluster(engine, clusterId);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return dc;
}

/** Removes what a cluster made: only objects labelled with its id. */
export async function removeCluster(engine: DockerEngine, clusterId: string): Promise<void> {
  // All at once: a container still in its grace period takes as long to remove as a stopped one.
  const containers = await engine.list({ [LABEL.cluster]: clusterId });
  await Promise.all(containers.map((c) => engine.remove(c.id).catch(() => undefined)));
  for (const v of await engine.volumesByLabels({ [LABEL.cluster]: clusterId }))
    await engine.removeVolume(v).catch(() => undefined);
  for (const n of await engine.networksByLabels({ [LABEL.cluster]: clusterId }))
    if (n.name === networkName(clusterId)) await engine.removeNetwork(n.id).catch(() => undefined);
}

/** Polls an async check until it returns a value, for at most `seconds`. */
export async function eventually<T>(
  what: string,
  seconds: number,
  check: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${seconds} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface ContainerStatusView {
  name: string;
  ready: boolean;
  restartCount: number;
  containerID?: string;
  state: { running?: object; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number } };
  lastState: { terminated?: { exitCode: number } };
}

export interface PodView {
  metadata: { name: string; uid: string };
  status?: { phase?: string; podIP?: string; containerStatuses?: ContainerStatusView[] };
}

export function podJson(dc: DockerCluster, name: string): PodView | undefined {
  const r = dc.kubectl(['get', 'pod', name, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.out) as PodView) : undefined;
}

/** The status of one container of a pod (the first when unnamed). */
export function containerStatus(dc: DockerCluster, pod: string, container?: string): ContainerStatusView | undefined {
  const list = podJson(dc, pod)?.status?.containerStatuses ?? [];
  return container === undefined ? list[0] : list.find((c) => c.name === container);
}
