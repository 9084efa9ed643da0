/**
 * A pod's ephemeral (debug) containers, as the kubelet runs them: each is started once, when the
 * pod's sandbox is up and its target (if it names one) is running, in the process namespace of
 * that target (else the sandbox's); it is never restarted and has no probes. A start that fails
 * (image, config) is reported in its status and not tried again, as Kubernetes does.
 */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { EnvError, withExpandedCommand } from './container-env';
import { containerEnv, ensureSpecImage, pulledMessage } from './container-setup';
import { newContainerRecord, type ContainerRecord, type PodRecord } from './pod-status';
import {
  ContainerStartError,
  ImagePullError,
  type ContainerConfig,
  type ContainerStatus,
  type PodSandboxConfig,
} from './runtime';
import type { Recorder } from '../machinery/event-recorder';
import type { ObjectStore } from '../store/object-store';
import type { ContainerRuntime } from './runtime';

/** What starting a debug container needs of the pod worker's dependencies. */
export interface EphemeralDeps {
  store: ObjectStore;
  runtime: ContainerRuntime;
  record: Recorder;
  hostIP: string;
}

export function ephemeralSpecs(pod: Stored): JsonObject[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers.filter(isObject) : [];
}

/** Starts the ephemeral containers not started yet; updates the status of the others from `statuses`. */
export async function syncEphemeralContainers(
  deps: EphemeralDeps,
  pod: Stored,
  rec: PodRecord,
  sandbox: PodSandboxConfig,
  statuses: ReadonlyMap<string, ContainerStatus>,
): Promise<void> {
  const specs = ephemeralSpecs(pod);
  if (specs.length === 0 || !rec.sandboxId) return;
  const records = (rec.ephemeral ??= []);
  for (const cspec of specs) {
    const name = String(cspec.name);
    let r = records.find((x) => x.name === name);
    if (!r) {
      r = newContainerRecord(cspec);
      records.push(r);
    }
    if (r.id) {
      r.status = statuses.get(r.id) ?? r.status;
      continue;
    }
    if (r.waiting) continue; // failed to start: not tried again
    const target = typeof cspec.targetContainerName === 'string' ? cspec.targetContainerName : '';
    let pidContainerId = rec.sandboxId;
    if (target !== '') {
      const t = [...rec.containers, ...rec.init].find((c) => c.name === target);
      if (t?.status?.state !== 'running' || !t.id) continue; // waits for its target
      pidContainerId = t.id;
    }
    await startEphemeral(deps, pod, rec, r, cspec, sandbox, { pidContainerId, ...(target !== '' ? { target } : {}) });
  }
}

async function startEphemeral(
  deps: EphemeralDeps,
  pod: Stored,
  rec: PodRecord,
  r: ContainerRecord,
  cspec: JsonObject,
  sandbox: PodSandboxConfig,
  ephemeral: NonNullable<ContainerConfig['ephemeral']>,
): Promise<void> {
  const { runtime } = deps;
  const image = r.image;
  try {
    const pulled = await ensureSpecImage(runtime, image, cspec);
    deps.record(pod, 'Normal', 'Pulled', pulledMessage(image, pulled.pulled));
    const env = containerEnv(deps, pod, cspec, rec.ip ?? '');
    const id = await runtime.createContainer(
      rec.sandboxId!,
      {
        name: r.name,
        image,
        env,
        spec: withExpandedCommand(cspec, env),
        attempt: 0,
        init: false,
        ephemeral,
      },
      sandbox,
    );
    r.id = id;
    deps.record(pod, 'Normal', 'Created', `Created container ${r.name}`);
    await runtime.startContainer(id);
    deps.record(pod, 'Normal', 'Started', `Started container ${r.name}`);
    r.status = await runtime.containerStatus(id);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'failed';
    if (error instanceof ImagePullError) {
      r.waiting = { reason: 'ErrImagePull', message };
      deps.record(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    } else if (error instanceof EnvError) {
      r.waiting = { reason: 'CreateContainerConfigError', message };
      deps.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    } else if (error instanceof ContainerStartError) {
      r.waiting = { reason: error.reason, message };
      deps.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    } else throw error;
  }
}
