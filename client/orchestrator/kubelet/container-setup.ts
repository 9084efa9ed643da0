/**
 * The steps every container start shares before the runtime's create: an app
 * container (pod-worker.ts), one created while its sandbox starts
 * (early-containers.ts) and an ephemeral one (ephemeral-containers.ts) each
 * check or pull the image their spec names, say so in a `Pulled` event, and
 * resolve their environment with Service hosts from the runtime.
 */
import type { JsonObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { resolveEnv } from './container-env';
import type { ContainerRuntime, ImageResult } from './runtime';

/** The image a container spec names ('' when it names none). */
export function specImage(cspec: Readonly<JsonObject>): string {
  return typeof cspec.image === 'string' ? cspec.image : '';
}

/** Checks or pulls `image` by the spec's pull policy. */
export function ensureSpecImage(
  runtime: ContainerRuntime,
  image: string,
  cspec: Readonly<JsonObject>,
): Promise<ImageResult> {
  return runtime.ensureImage(image, typeof cspec.imagePullPolicy === 'string' ? cspec.imagePullPolicy : 'IfNotPresent');
}

/** The `Pulled` event's message. */
export function pulledMessage(image: string, pulled: boolean): string {
  return pulled ? `Successfully pulled image "${image}"` : `Container image "${image}" already present on machine`;
}

export interface EnvDeps {
  store: ObjectStore;
  runtime: ContainerRuntime;
  hostIP: string;
}

/** The container's environment for a pod at `podIp` (container-env.ts), Service hosts from the runtime. */
export function containerEnv(
  deps: EnvDeps,
  pod: Stored,
  cspec: Readonly<JsonObject>,
  podIp: string,
): { name: string; value: string }[] {
  return resolveEnv(deps.store, pod, cspec, podIp, deps.hostIP, (svc) =>
    deps.runtime.serviceHost?.(svc.metadata.namespace ?? '', svc.metadata.name ?? ''),
  );
}
