/**
 * A pod's app containers created while its new sandbox starts, for a runtime
 * that allows it (Docker: a container can be created to join a sandbox that
 * is not running yet, and started once it runs). Each app container then
 * starts as soon as the sandbox runs: its image check, environment and the
 * engine's create are off the path from the sandbox's start to the app's.
 * Only for a pod without init containers (they must run first), and only a
 * container whose environment does not hold the pod's IP, unless the runtime
 * fixed that IP before the sandbox runs (Docker's pod range); otherwise it is
 * known only once the sandbox runs. Whatever fails here is left to the normal
 * start, which reports it as before.
 */
import type { Stored } from '../store/object-store';
import type { JsonObject } from '../store/object';
import { withExpandedCommand } from './container-env';
import { containerEnv, ensureSpecImage, specImage, type EnvDeps } from './container-setup';
import type { PodRecord } from './pod-status';
import type { PodSandboxConfig } from './runtime';

export interface EarlyContainer {
  id: string;
  /** Whether the image was pulled for it (the `Pulled` event's wording). */
  pulled: boolean;
}

export type EarlyDeps = EnvDeps;

/** The new sandbox the containers are made in: its id, the pod's IP if already fixed, its config. */
export interface StartingSandbox {
  readonly id: string;
  readonly ip: string | undefined;
  readonly config: PodSandboxConfig;
}

/** Stands for the pod's IP while it is unknown: an environment holding it waits for the sandbox. */
const UNKNOWN_IP = '\u0000pod-ip\u0000';

/**
 * Creates (without starting) each app container of `specs` that can be made before the sandbox runs;
 * resolves with them by container name.
 */
export async function createEarlyContainers(
  deps: EarlyDeps,
  pod: Stored,
  rec: PodRecord,
  sandbox: StartingSandbox,
  specs: readonly JsonObject[],
): Promise<Map<string, EarlyContainer>> {
  const made = new Map<string, EarlyContainer>();
  if (rec.init.length > 0) return made;
  const { runtime } = deps;
  await Promise.all(
    rec.containers.map(async (c, i) => {
      const cspec = specs[i];
      if (!cspec || c.id !== undefined) return;
      try {
        const env = containerEnv(deps, pod, cspec, sandbox.ip ?? UNKNOWN_IP);
        if (sandbox.ip === undefined && env.some((e) => e.value.includes(UNKNOWN_IP))) return;
        const image = specImage(cspec);
        const pulled = await ensureSpecImage(runtime, image, cspec);
        const id = await runtime.createContainer(
          sandbox.id,
          { name: c.name, image, env, spec: withExpandedCommand(cspec, env), attempt: c.restartCount, init: false },
          sandbox.config,
        );
        made.set(c.name, { id, pulled: pulled.pulled });
      } catch {
        // The normal start tries again and reports the error.
      }
    }),
  );
  return made;
}
