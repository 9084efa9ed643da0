/**
 * The Docker runtimes of a cluster: one per node on the same engine, sharing
 * the cluster id (from the data directory), the network, its fixed pod IPs and the infra image;
 * configMap/secret volume files follow the objects in the store.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Clock } from '../clock';
import type { JsonObject, KubeObject } from '../store/object';
import type { ObjectStore } from '../store/object-store';
import { PROVISIONER, VOLUMES } from '../store/storage-class';
import { claimRefOf } from '../machinery/volume-binding';
import type { DockerEngine } from './docker-client';
import { LABEL } from './docker-labels';
import { DockerRuntime } from './docker-runtime';
import { ensureInfraImage } from './infra/infra-image';
import { SharedPodIps } from './pod-ips';
import type { RuntimeFactory } from './runtime';

export interface DockerRuntimesOptions {
  engine: DockerEngine;
  clock: Clock;
  store: ObjectStore;
  dataDir: string;
  allowHostPath?: boolean;
}

export interface DockerRuntimes {
  readonly clusterId: string;
  readonly factory: RuntimeFactory;
  readonly runtimes: readonly DockerRuntime[];
  /** Resolves with the infrastructure image, building it the first time. */
  infraImage(): Promise<string>;
  stop(): void;
}

/** Short and stable for a data directory: in container names and labels. */
export function clusterIdFor(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 10);
}

export function dockerRuntimes(o: DockerRuntimesOptions): DockerRuntimes {
  const clusterId = clusterIdFor(o.dataDir);
  let image: Promise<string> | undefined;
  const infraImage = () => {
    image ??= ensureInfraImage(o.engine).catch((error: unknown) => {
      image = undefined;
      throw error;
    });
    return image;
  };
  const runtimes: DockerRuntime[] = [];
  const podIps = new SharedPodIps();
  const read = (kind: 'configmaps' | 'secrets', namespace: string, name: string) =>
    o.store.get(`/${kind}`, namespace, name) as JsonObject | undefined;
  const refresh = (namespace: string | undefined) => {
    if (namespace === undefined) return;
    for (const r of runtimes) r.refreshVolumes(namespace);
  };
  const unsubscribe = [
    o.store.subscribe('/configmaps', (e) => refresh(e.object.metadata.namespace)),
    o.store.subscribe('/secrets', (e) => refresh(e.object.metadata.namespace)),
    o.store.subscribe(VOLUMES, (e) => {
      if (e.type === 'DELETED') void removeClaimData(o, clusterId, e.object);
    }),
  ];
  return {
    clusterId,
    runtimes,
    infraImage,
    factory: (nodeName) => {
      const runtime = new DockerRuntime({
        engine: o.engine,
        clock: o.clock,
        clusterId,
        nodeName,
        infraImage,
        stateDir: resolve(o.dataDir, 'kubelet'),
        read,
        allowHostPath: o.allowHostPath ?? false,
        podIps,
      });
      runtimes.push(runtime);
      return runtime;
    },
    stop: () => {
      for (const u of unsubscribe) u();
    },
  };
}

/**
 * A provisioned PersistentVolume was deleted (its claim is gone and its policy
 * is Delete): remove the Docker volume that held the claim's data. The pods
 * that used it are gone, but their containers may still be on their way out,
 * so a refusal is retried a few times.
 */
async function removeClaimData(o: DockerRuntimesOptions, clusterId: string, volume: Readonly<KubeObject>) {
  if (volume.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== PROVISIONER) return;
  const ref = claimRefOf(volume);
  if (!ref) return;
  const claim = `${ref.namespace}.${ref.name}`;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const names = await o.engine.volumesByLabels({ [LABEL.cluster]: clusterId, [LABEL.claim]: claim });
      for (const name of names) await o.engine.removeVolume(name);
      return;
    } catch {
      await new Promise<void>((r) => o.clock.setTimeout(() => r(), 1000));
    }
  }
}
