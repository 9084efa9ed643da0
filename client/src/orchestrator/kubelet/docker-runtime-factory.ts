/**
 * The Docker runtimes of a cluster: one per node on the same engine, sharing
 * the cluster id (from the data directory), the network and the infra image;
 * configMap/secret volume files follow the objects in the store.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Clock } from '../clock';
import type { JsonObject } from '../store/object';
import type { ObjectStore } from '../store/object-store';
import type { DockerEngine } from './docker-client';
import { DockerRuntime } from './docker-runtime';
import { ensureInfraImage } from './infra/infra-image';
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
  const read = (kind: 'configmaps' | 'secrets', namespace: string, name: string) =>
    o.store.get(`/${kind}`, namespace, name) as JsonObject | undefined;
  const refresh = (namespace: string | undefined) => {
    if (namespace === undefined) return;
    for (const r of runtimes) r.refreshVolumes(namespace);
  };
  const unsubscribe = [
    o.store.subscribe('/configmaps', (e) => refresh(e.object.metadata.namespace)),
    o.store.subscribe('/secrets', (e) => refresh(e.object.metadata.namespace)),
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
      });
      runtimes.push(runtime);
      return runtime;
    },
    stop: () => {
      for (const u of unsubscribe) u();
    },
  };
}
