/**
 * The kubelet's pod side (kubelet.ts keeps the node's): syncs one pod key at a time through the pod worker,
 * writes the pod's status back when it changes, terminates deleted pods off the work queue (pod-terminations.ts),
 * keeps a finished pod's stopped containers and sandbox, and while the runtime does not answer lets each pod
 * wait with back-off, its status saying why.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { Clock } from '../clock';
import type { Recorder } from '../machinery/event-recorder';
import { splitKey } from '../machinery/informer';
import { PODS } from '../machinery/informer-factory';
import type { WorkQueue } from '../machinery/work-queue';
import { StatusError } from '../store/errors';
import { isObject, jsonEqual } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { buildPodStatus, type PodRecord } from './pod-status';
import { gracePeriod, newPodRecord, PodWorker } from './pod-worker';
import { PodTerminations } from './pod-terminations';
import { ProbeManager } from './probe-manager';
import { RuntimeUnavailableError, type ContainerRuntime, type RuntimeStatus } from './runtime';

export interface PodSyncerDeps {
  nodeName: string;
  store: ObjectStore;
  clock: Clock;
  runtime: ContainerRuntime;
  queue: WorkQueue;
  writer: AdmittedWriter;
  record: Recorder;
  hostIP: string;
  /** The pods bound to this node, by key. */
  pods: () => Map<string, Stored>;
  /** A fresh check of whether the runtime answers. */
  checkRuntime: () => Promise<RuntimeStatus>;
  /** Whether the kubelet runs (not stopped). */
  started: () => boolean;
  /** In a simulated outage: no pod is synced. */
  silent: () => boolean;
  say: (line: string) => void;
}

/** Waits before syncing a pod again while the runtime is down: doubling from 1 s up to this. */
const RUNTIME_RETRY_MAX_MS = 16_000;

export class PodSyncer {
  private readonly records = new Map<string, PodRecord>();
  private readonly byUid = new Map<string, string>();
  /** Pods sitting out their grace period, each off the queue so it holds no worker. */
  private readonly terminations = new PodTerminations();
  private readonly worker: PodWorker;
  private readonly probes: ProbeManager;

  constructor(private readonly d: PodSyncerDeps) {
    this.probes = new ProbeManager(d.clock, d.runtime, (key, event) => {
      const pod = d.pods().get(key);
      if (event && pod) {
        const kind = event.kind[0]!.toUpperCase() + event.kind.slice(1);
        d.record(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${event.message}`);
      }
      d.queue.add(key);
    });
    this.worker = new PodWorker({
      store: d.store,
      clock: d.clock,
      runtime: d.runtime,
      probes: this.probes,
      record: d.record,
      hostIP: d.hostIP,
      stopAside: (key, stop) => this.terminations.start(key, stop, (error) => void this.terminated(key, error)),
    });
  }

  /** The keys of the pods this kubelet holds a record of. */
  keys(): IterableIterator<string> {
    return this.records.keys();
  }

  /** Stops probing every pod (the kubelet stops, or goes silent). */
  forgetProbes(): void {
    for (const rec of this.records.values()) this.probes.forgetPod(rec.key);
  }

  /** A sandbox found on the runtime of a finished pod: kept, to be removed when the pod is deleted. */
  rememberFinished(podUid: string, sandboxId: string): void {
    for (const [key, pod] of this.d.pods()) {
      const phase = isObject(pod.status) ? pod.status.phase : undefined;
      if (pod.metadata.uid !== podUid || (phase !== 'Succeeded' && phase !== 'Failed') || this.records.has(key))
        continue;
      const rec = newPodRecord(key, pod, this.d.clock.now());
      rec.sandboxId = sandboxId;
      rec.finished = true;
      this.records.set(key, rec);
      this.byUid.set(rec.uid, key);
    }
  }

  /** The key of the pod with this UID, if this kubelet holds a record of it. */
  keyOf(podUid: string): string | undefined {
    return this.byUid.get(podUid);
  }

  async syncPod(key: string): Promise<void> {
    if (this.d.silent()) return; // synced again when the outage ends
    try {
      await this.syncPodWithRuntime(key);
    } catch (error) {
      const why = await this.runtimeDown(error);
      if (why === undefined) throw error;
      await this.waitForRuntime(key, why);
    }
  }

  /** Why the runtime is unreachable, when `error` came from that (a fresh check says so, or the runtime did). */
  private async runtimeDown(error: unknown): Promise<string | undefined> {
    if (error instanceof StatusError) return undefined; // the API's answer (a conflict...), not the runtime's
    const status = await this.d.checkRuntime();
    if (!status.ready) return status.message ?? 'it does not answer';
    if (error instanceof RuntimeUnavailableError) return error.message;
    return undefined;
  }

  /** The pod waits for the runtime: its status says why, and it is synced again after a back-off (or when the runtime is back). */
  private async waitForRuntime(key: string, why: string): Promise<void> {
    const rec = this.records.get(key);
    if (!rec) return; // nothing started, nothing to stop: the next sync starts from scratch
    const pod = this.d.pods().get(key);
    if (pod && !pod.metadata.deletionTimestamp && pod.metadata.uid === rec.uid) {
      this.worker.noteRuntimeDown(pod, rec, why);
      await this.writeStatus(key, rec);
    }
    const wait = rec.runtimeRetryMs ?? 1000;
    rec.runtimeRetryMs = Math.min(wait * 2, RUNTIME_RETRY_MAX_MS);
    this.d.queue.addAfter(key, wait);
  }

  private async syncPodWithRuntime(key: string): Promise<void> {
    if (this.terminations.has(key)) return; // synced again once the termination has finished
    const pod = this.d.pods().get(key);
    let rec = this.records.get(key);
    if (rec && (!pod || pod.metadata.uid !== rec.uid)) {
      await this.worker.killPod(undefined, rec, 0);
      this.forget(rec);
      rec = undefined;
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) {
      const dying = rec;
      this.terminations.start(
        key,
        () => this.terminate(key, pod, dying),
        (error) => void this.terminated(key, error),
      );
      return;
    }
    const phase = isObject(pod.status) ? pod.status.phase : undefined;
    if (phase === 'Succeeded' || phase === 'Failed') {
      if (rec && !rec.finished) await this.stopFinished(rec);
      return;
    }
    if (!rec) {
      rec = newPodRecord(key, pod, this.d.clock.now());
      this.records.set(key, rec);
      this.byUid.set(rec.uid, key);
    }
    const wait = await this.worker.sync(pod, rec);
    delete rec.runtimeDown;
    delete rec.runtimeRetryMs;
    await this.writeStatus(key, rec);
    const latest = this.d.store.get(PODS, ...splitKey(key));
    const now = latest && isObject(latest.status) ? latest.status.phase : undefined;
    if (now === 'Succeeded' || now === 'Failed') await this.stopFinished(rec);
    else if (wait !== undefined) this.d.queue.addAfter(key, wait);
  }

  /**
   * Graceful deletion, off the work queue: the containers stop (each with the pod's grace period),
   * then the sandbox goes and the pod is removed from the API.
   */
  private async terminate(key: string, pod: Stored, rec: PodRecord | undefined): Promise<void> {
    if (rec) {
      await this.worker.killPod(pod, rec, gracePeriod(pod));
      this.forget(rec);
    } else await this.killAdopted(key, pod);
    // The kubelet stopped or went silent meanwhile: the pod is finished off when it is back.
    if (!this.d.started() || this.d.silent()) return;
    const [namespace, name] = splitKey(key);
    await this.d.writer
      .delete(PODS, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } })
      .catch(() => undefined);
  }

  /**
   * A termination (or a container's stop, see PodWorkerDeps.stopAside) ended: the key is synced again
   * (a pod of the same name may wait, a stopped container restarts), or retried after a failure.
   */
  private async terminated(key: string, error: unknown): Promise<void> {
    if (!this.d.started()) return;
    if (error === undefined) {
      this.d.queue.add(key);
      return;
    }
    try {
      const why = await this.runtimeDown(error);
      if (why !== undefined) return await this.waitForRuntime(key, why);
      if (!(error instanceof StatusError))
        this.d.say(
          `kube-workbench: kubelet ${this.d.nodeName} ${key}: ${error instanceof Error ? error.message : 'termination failed'}`,
        );
    } catch {
      // the runtime check itself failed: retry below
    }
    this.d.queue.addRateLimited(key);
  }

  /**
   * A pod being deleted that this kubelet never synced (it restarted meanwhile, e.g. during a
   * simulated outage): the sandboxes the runtime holds for it are stopped and removed first.
   */
  private async killAdopted(key: string, pod: Stored): Promise<void> {
    const sandboxes = (await this.d.runtime.listPodSandboxes()).filter((s) => s.podUid === pod.metadata.uid);
    for (const s of sandboxes) {
      const rec = newPodRecord(key, pod, this.d.clock.now());
      rec.sandboxId = s.id;
      await this.worker.killPod(pod, rec, gracePeriod(pod));
    }
  }

  /**
   * A finished pod: whatever still runs is stopped, and so is its sandbox, but both are kept (as
   * Kubernetes keeps a finished pod's containers) so `kubectl logs` works until the pod is deleted.
   */
  private async stopFinished(rec: PodRecord): Promise<void> {
    this.probes.forgetPod(rec.key);
    if (rec.sandboxId) {
      const { runtime } = this.d;
      const running = (await runtime.listContainers(rec.sandboxId)).filter((s) => s.state === 'running');
      await Promise.all(running.map((s) => runtime.stopContainer(s.id, 0)));
      await runtime.stopPodSandbox(rec.sandboxId);
    }
    rec.finished = true;
  }

  private forget(rec: PodRecord): void {
    this.records.delete(rec.key);
    this.byUid.delete(rec.uid);
    this.probes.forgetPod(rec.key);
  }

  private async writeStatus(key: string, rec: PodRecord): Promise<void> {
    const [namespace, name] = splitKey(key);
    const current = this.d.store.get(PODS, namespace, name);
    if (!current || current.metadata.uid !== rec.uid) return;
    const old = isObject(current.status) ? current.status : {};
    const spec = isObject(current.spec) ? current.spec : {};
    const status = buildPodStatus({
      rec,
      old,
      restartPolicy: typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always',
      hostIP: this.d.hostIP,
      scheme: this.d.runtime.name,
      now: this.d.clock.now(),
    });
    if (jsonEqual(status, old)) return;
    // The writer copies only the status of a status write: the stored spec and metadata are passed as they are.
    await this.d.writer.updateStatus(PODS, { ...current, status });
  }
}
