/**
 * Drives one pod toward its spec through the runtime, level-triggered: a
 * sandbox, init containers one by one, then the app containers; restarts by
 * restartPolicy with back-off; probes; graceful deletion. Returns the delay
 * after which it wants to look again (back-off), if any.
 */
import type { Clock } from '../clock';
import type { Recorder } from '../machinery/event-recorder';
import { isObject, type JsonObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { EnvError, withExpandedCommand } from './container-env';
import { containerEnv, ensureSpecImage, pulledMessage, specImage } from './container-setup';
import { newContainerRecord, runtimeDownMessage, type PodRecord, type ContainerRecord } from './pod-status';
import type { ProbeManager } from './probe-manager';
import { createEarlyContainers, type EarlyContainer } from './early-containers';
import { ephemeralSpecs, syncEphemeralContainers } from './ephemeral-containers';
import {
  ContainerStartError,
  ImagePullError,
  type ContainerRuntime,
  type ContainerStatus,
  type PodSandboxConfig,
} from './runtime';

/** How soon a pod whose sandbox vanished under a starting container is looked at again. */
const RESYNC_MS = 100;

export interface PodWorkerDeps {
  store: ObjectStore;
  clock: Clock;
  runtime: ContainerRuntime;
  probes: ProbeManager;
  record: Recorder;
  hostIP: string;
  /**
   * Runs a container's graceful stop aside from the pod's sync (the kubelet's queue worker is not held
   * for the grace period); the pod is synced again once it has ended.
   */
  stopAside(key: string, stop: () => Promise<void>): void;
}

function containerList(spec: JsonObject, key: 'containers' | 'initContainers'): JsonObject[] {
  return Array.isArray(spec[key]) ? spec[key].filter(isObject) : [];
}

export function newPodRecord(key: string, pod: Stored, now: number): PodRecord {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const rec: PodRecord = {
    key,
    uid: pod.metadata.uid ?? '',
    startTime: now,
    init: containerList(spec, 'initContainers').map(newContainerRecord),
    containers: containerList(spec, 'containers').map(newContainerRecord),
    initDone: containerList(spec, 'initContainers').length === 0,
    initFailed: false,
  };
  const ephemeral = ephemeralSpecs(pod);
  if (ephemeral.length > 0) rec.ephemeral = ephemeral.map(newContainerRecord);
  // Keep the restart counts a previous run of the kubelet reported.
  const old =
    isObject(pod.status) && Array.isArray(pod.status.containerStatuses)
      ? pod.status.containerStatuses.filter(isObject)
      : [];
  for (const r of rec.containers) {
    const s = old.find((x) => x.name === r.name);
    if (typeof s?.restartCount === 'number') r.restartCount = s.restartCount;
  }
  return rec;
}

export class PodWorker {
  constructor(private readonly deps: PodWorkerDeps) {}

  sandboxConfig(pod: Stored): PodSandboxConfig {
    const spec = isObject(pod.spec) ? pod.spec : {};
    return {
      podUid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      labels: pod.metadata.labels ?? {},
      annotations: pod.metadata.annotations ?? {},
      hostname: typeof spec.hostname === 'string' ? spec.hostname : (pod.metadata.name ?? ''),
      podSpec: spec,
    };
  }

  /**
   * The pod's sandbox died or was removed: its containers go with it (one
   * started in it meanwhile would run on without the pod's network), as the
   * kubelet kills a pod whose sandbox changed; the pod's volumes stay.
   */
  private async dropSandbox(sandboxId: string): Promise<void> {
    const { runtime } = this.deps;
    for (const c of await runtime.listContainers(sandboxId)) await runtime.removeContainer(c.id).catch(() => undefined);
    await runtime.removeContainer(sandboxId).catch(() => undefined);
  }

  /** Brings the pod's containers to the spec; returns ms until it wants another look, if it does. */
  async sync(pod: Stored, rec: PodRecord): Promise<number | undefined> {
    const { runtime } = this.deps;
    const spec = isObject(pod.spec) ? pod.spec : {};
    const policy = typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always';
    /** The sandbox's containers when it was just made or adopted: read once for both uses below. */
    let listed: ContainerStatus[] | undefined;
    /** App containers created while a new sandbox started (early-containers.ts), started below. */
    let early: Map<string, EarlyContainer> | undefined;
    const current = rec.sandboxId ? await runtime.podSandboxStatus(rec.sandboxId) : undefined;
    if (current?.state === 'ready' && current.id !== rec.sandboxId) {
      // The runtime moved the pod's network into a new sandbox, keeping its IP and containers (Docker: the app
      // container that owned the network stopped, and a sandbox took the network over): it is the pod's now.
      rec.sandboxId = current.id;
      rec.ip = current.ip;
    }
    if (!rec.sandboxId || current?.state !== 'ready') {
      if (rec.sandboxId) await this.dropSandbox(rec.sandboxId);
      const config = this.sandboxConfig(pod);
      const sandbox = await runtime.runPodSandbox(config, async (id, ip) => {
        const specs = containerList(spec, 'containers');
        early = await createEarlyContainers(this.deps, pod, rec, { id, ip, config }, specs);
      });
      rec.sandboxId = sandbox.id;
      rec.ip = sandbox.ip;
      // A sandbox the runtime adopted (the kubelet restarted) may hold this pod's containers: re-attach to the newest
      // of each. A sandbox just made holds none but those created while it started.
      listed = early ? [] : await runtime.listContainers(sandbox.id);
      const existing = [...listed].sort((a, b) => b.createdAt - a.createdAt);
      for (const c of [...rec.init, ...rec.containers, ...(rec.ephemeral ?? [])]) {
        const found = existing.find((s) => s.name === c.name);
        if (found) c.id = found.id;
        else delete c.id;
      }
    }
    const statuses = new Map((listed ?? (await runtime.listContainers(rec.sandboxId))).map((s) => [s.id, s]));
    for (const c of [...rec.init, ...rec.containers]) c.status = c.id ? statuses.get(c.id) : undefined;
    const debug = () => syncEphemeralContainers(this.deps, pod, rec, this.sandboxConfig(pod), statuses);
    let wait: number | undefined;
    const later = (ms: number) => (wait = wait === undefined ? ms : Math.min(wait, ms));

    if (!rec.initDone) {
      const specs = containerList(spec, 'initContainers');
      for (let i = 0; i < rec.init.length; i++) {
        const c = rec.init[i]!;
        const s = c.status;
        if (s?.state === 'exited' && s.exitCode === 0) continue;
        if (s?.state === 'running' || s?.state === 'created') break;
        if (s?.state === 'exited' && policy === 'Never') {
          rec.initFailed = true;
          break;
        }
        const ms = await this.startOrBackoff(pod, rec, c, specs[i]!, true);
        if (ms !== undefined) later(ms);
        break;
      }
      rec.initDone = rec.init.every((c) => c.status?.state === 'exited' && c.status.exitCode === 0);
      if (!rec.initDone) {
        await debug();
        return wait;
      }
    }

    const specs = containerList(spec, 'containers');
    for (let i = 0; i < rec.containers.length; i++) {
      const c = rec.containers[i]!;
      const cspec = specs[i] ?? {};
      const s = c.status;
      if (s?.state === 'running') {
        const kill = this.deps.probes.takeKill(rec.key, c.name);
        if (kill) {
          // Restarted by the sync after the stop (its grace period may be long: no worker waits for it).
          this.deps.record(pod, 'Normal', 'Killing', kill);
          const grace = gracePeriod(pod);
          this.deps.stopAside(rec.key, () => runtime.stopContainer(s.id, grace));
          c.ready = false;
          c.started = false;
          continue;
        } else {
          delete c.waiting;
          this.deps.probes.ensure(rec.key, rec.ip ?? '', c.name, s.id, cspec);
          c.started = this.deps.probes.started(rec.key, c.name);
          c.ready = this.deps.probes.ready(rec.key, c.name);
          continue;
        }
      }
      c.ready = false;
      c.started = false;
      const exited = c.status?.state === 'exited';
      if (exited) {
        this.deps.probes.forgetContainer(rec.key, c.name);
        const code = c.status?.exitCode ?? 0;
        const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
        if (!restart) {
          delete c.waiting;
          continue;
        }
      } else if (c.id && c.status) continue; // created, starting
      const ms = await this.startOrBackoff(pod, rec, c, cspec, false, early?.get(c.name));
      if (ms !== undefined) later(ms);
    }
    await debug();
    return wait;
  }

  /** Starts (or restarts, once its back-off allows) a container; returns the wait when backing off. */
  private async startOrBackoff(
    pod: Stored,
    rec: PodRecord,
    c: ContainerRecord,
    cspec: JsonObject,
    init: boolean,
    early?: EarlyContainer,
  ): Promise<number | undefined> {
    const { runtime, clock } = this.deps;
    const now = clock.now();
    const prev = c.status;
    if (prev?.state === 'exited') {
      const ranFor = (prev.finishedAt ?? now) - (prev.startedAt ?? now);
      const remaining = c.backoff.remaining(now, ranFor);
      if (remaining > 0) {
        const message = `back-off ${Math.round(c.backoff.currentMs / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${rec.uid})`;
        if (c.waiting?.reason !== 'CrashLoopBackOff') {
          this.deps.record(
            pod,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${rec.uid})`,
          );
        }
        c.last = prev;
        c.waiting = { reason: 'CrashLoopBackOff', message };
        return remaining;
      }
      c.backoff.restarted(now);
      c.last = prev;
      c.restartCount++;
      if (c.previousId) await runtime.removeContainer(c.previousId).catch(() => undefined);
      c.previousId = prev.id;
    }
    try {
      const id = early ? this.madeEarly(pod, cspec, early) : await this.create(pod, rec, c, cspec, init);
      c.id = id;
      this.deps.record(pod, 'Normal', 'Created', `Created container ${c.name}`);
      await runtime.startContainer(id);
      this.deps.record(pod, 'Normal', 'Started', `Started container ${c.name}`);
      delete c.waiting;
      c.status = await runtime.containerStatus(id);
      if (c.status?.state === 'running' && !init) {
        this.deps.probes.ensure(rec.key, rec.ip ?? '', c.name, id, cspec);
        c.started = this.deps.probes.started(rec.key, c.name);
        c.ready = this.deps.probes.ready(rec.key, c.name);
      }
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : 'failed';
      if (error instanceof ImagePullError) {
        const backing = c.waiting?.reason === 'ErrImagePull' || c.waiting?.reason === 'ImagePullBackOff';
        c.waiting = { reason: backing ? 'ImagePullBackOff' : 'ErrImagePull', message };
        this.deps.record(pod, 'Warning', 'Failed', `Failed to pull image "${String(cspec.image)}": ${message}`);
      } else if (error instanceof EnvError) {
        c.waiting = { reason: 'CreateContainerConfigError', message };
        this.deps.record(pod, 'Warning', 'Failed', `Error: ${message}`);
      } else if (error instanceof ContainerStartError) {
        if (rec.sandboxId && (await runtime.podSandboxStatus(rec.sandboxId))?.state !== 'ready') {
          // The sandbox went away under the container (it was removed meanwhile): not the container's
          // failure. The next sync makes a new sandbox and starts the pod's containers in it.
          if (c.id) await runtime.removeContainer(c.id).catch(() => undefined);
          delete c.id;
          return RESYNC_MS;
        }
        c.waiting = { reason: error.reason, message };
        this.deps.record(pod, 'Warning', 'Failed', `Error: ${message}`);
      } else throw error;
      c.backoff.restarted(this.deps.clock.now());
      return c.backoff.currentMs;
    }
  }

  /** Checks the image and creates the container (not started); records `Pulled`. */
  private async create(
    pod: Stored,
    rec: PodRecord,
    c: ContainerRecord,
    cspec: JsonObject,
    init: boolean,
  ): Promise<string> {
    const { runtime } = this.deps;
    const image = specImage(cspec);
    const pulled = await ensureSpecImage(runtime, image, cspec);
    this.pulledEvent(pod, image, pulled.pulled);
    const env = containerEnv(this.deps, pod, cspec, rec.ip ?? '');
    return runtime.createContainer(
      rec.sandboxId!,
      { name: c.name, image, env, spec: withExpandedCommand(cspec, env), attempt: c.restartCount, init },
      this.sandboxConfig(pod),
    );
  }

  /** A container created while the sandbox started: its `Pulled` event, now that it starts. */
  private madeEarly(pod: Stored, cspec: JsonObject, early: EarlyContainer): string {
    this.pulledEvent(pod, specImage(cspec), early.pulled);
    return early.id;
  }

  private pulledEvent(pod: Stored, image: string, pulled: boolean): void {
    this.deps.record(pod, 'Normal', 'Pulled', pulledMessage(image, pulled));
  }

  /**
   * The runtime cannot be reached: the pod's status says so (see
   * buildPodStatus), with one event per outage when something of the pod
   * waits for it. Running containers are left as they are.
   */
  noteRuntimeDown(pod: Stored, rec: PodRecord, why: string): void {
    const first = rec.runtimeDown === undefined;
    rec.runtimeDown = why;
    if (!first) return;
    const message = runtimeDownMessage(why);
    if (!rec.sandboxId)
      this.deps.record(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
    else if (!rec.initDone || rec.containers.some((c) => !c.status))
      this.deps.record(pod, 'Warning', 'Failed', `Error: ${message}`);
  }

  /** Stops every container (grace period), then the sandbox. */
  async killPod(pod: Stored | undefined, rec: PodRecord, graceSeconds: number): Promise<void> {
    const { runtime } = this.deps;
    this.deps.probes.forgetPod(rec.key);
    if (!rec.sandboxId) return;
    const running = (await runtime.listContainers(rec.sandboxId)).filter((s) => s.state === 'running');
    await Promise.all(
      running.map(async (s) => {
        if (pod) this.deps.record(pod, 'Normal', 'Killing', `Stopping container ${s.name}`);
        await runtime.stopContainer(s.id, graceSeconds);
      }),
    );
    await runtime.stopPodSandbox(rec.sandboxId);
    await runtime.removePodSandbox(rec.sandboxId);
    delete rec.sandboxId;
  }
}

/** Whole non-negative seconds, or undefined (a pod stored before admission checked integers). */
const seconds = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

export function gracePeriod(pod: Stored): number {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return seconds(pod.metadata.deletionGracePeriodSeconds) ?? seconds(spec.terminationGracePeriodSeconds) ?? 30;
}
