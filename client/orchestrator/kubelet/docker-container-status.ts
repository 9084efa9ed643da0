/** A container's status as the kubelet reads it (CRI shape), from the engine's inspect of it. */
import type { ContainerInfo } from './docker-engine-types';
import { LABEL } from './docker-labels';
import type { ContainerStatus } from './runtime';

export function containerStatusOf(info: ContainerInfo): ContainerStatus {
  const state =
    info.status === 'running' || info.status === 'paused'
      ? 'running'
      : info.status === 'created'
        ? 'created'
        : info.status === 'exited' || info.status === 'dead'
          ? 'exited'
          : 'unknown';
  const exited = state === 'exited';
  return {
    id: info.id,
    // An app container owning its pod's network (owned-networks.ts) is its own.
    sandboxId: info.labels[LABEL.sandbox] ?? (info.labels[LABEL.ownsNetwork] === 'true' ? info.id : ''),
    name: info.labels[LABEL.container] ?? '',
    state,
    attempt: Number(info.labels[LABEL.attempt] ?? 0),
    createdAt: info.createdAt,
    ...(info.startedAt !== undefined ? { startedAt: info.startedAt } : {}),
    ...(exited && info.finishedAt !== undefined ? { finishedAt: info.finishedAt } : {}),
    ...(exited
      ? {
          exitCode: info.exitCode,
          reason: info.oomKilled
            ? 'OOMKilled'
            : info.error
              ? 'StartError'
              : info.exitCode === 0
                ? 'Completed'
                : 'Error',
          ...(info.error ? { message: info.error } : {}),
        }
      : {}),
    image: info.image,
    imageRef: info.imageId,
  };
}
