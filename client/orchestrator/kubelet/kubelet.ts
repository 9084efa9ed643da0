/**
 * One simulated node's kubelet: registers its Node, watches the pods bound
 * to it (through a shared dispatcher), and syncs each pod through the
 * container runtime on a work queue, writing the pod's status back when it
 * changes. Graceful deletion: stop the containers, then remove the pod.
 * While the container runtime does not answer, the Node is NotReady, pods
 * that wait for it say so and retry with back-off, and running pods are left
 * alone; when it answers again, every pod is synced at once.
 *
 * Heartbeats, as Kubernetes' kubelet: the node's Lease is renewed (node-lease.ts)
 * and its status posted when it changes, at least every 5 min
 * (nodeStatusReportFrequency). A Node annotated `kube-workbench.io/simulated-outage:
 * "true"` makes the kubelet silent: no renewals, no status, no pod syncs, its
 * containers frozen by the runtime. When the annotation goes, the containers
 * resume, what was deleted or moved meanwhile is removed, and every pod is synced.
 */
import { AdmittedWriter } from '../api/admitted-writer';
import type { ApiContext } from '../api/api-context';
import type { Clock } from '../clock';
import type { EventRecorder, Recorder } from '../machinery/event-recorder';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import { splitKey } from '../machinery/informer';
import type { Informer } from '../machinery/informer';
import { NODES, PODS } from '../machinery/informer-factory';
import { inSimulatedOutage } from '../protocol/node-annotations';
import { WorkQueue } from '../machinery/work-queue';
import { StatusError } from '../store/errors';
import { isObject, jsonEqual } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { isNodeReady, nodeObject, refreshedNode, type NodeOptions } from './node-object';
import { NodeStatusReporter } from './node-status-reporter';
import type { PodDispatcher } from './pod-dispatcher';
import { buildPodStatus, type PodRecord } from './pod-status';
import { gracePeriod, newPodRecord, PodWorker } from './pod-worker';
import { PodTerminations } from './pod-terminations';
import { ProbeManager } from './probe-manager';
import { RuntimeUnavailableError, type ContainerRuntime, type RuntimeStatus } from './runtime';
import { RuntimeHealth } from './runtime-health';

export interface KubeletOptions extends Omit<NodeOptions, 'runtimeVersion' | 'hostIP'> {
  store: ObjectStore;
  /** Writes (node registration, pod status, final pod removal) go through admission. */
  api: ApiContext;
  clock: Clock;
  events: EventRecorder;
  runtime: ContainerRuntime;
  dispatcher: PodDispatcher;
  hostIP?: string;
  workers?: number;
  /** Between two checks of whether the runtime answers (default 2000 ms). */
  runtimeCheckMs?: number;
  /** Where the kubelet says what a user should know (the runtime went away, came back); stderr by default. */
  log?: (line: string) => void;
  /** The Node informer: the kubelet follows its Node's simulated-outage annotation (none: never silent). */
  nodes?: Informer;
  /** Between two Lease renewals (10 s, Kubernetes' default; shorter when the cluster's grace period is). */
  leaseRenewMs?: number;
  /** The longest time unchanged status goes unposted (5 min, Kubernetes' nodeStatusReportFrequency). */
  statusReportMs?: number;
}

/** Waits before syncing a pod again while the runtime is down: doubling from 1 s up to this. */
const RUNTIME_RETRY_MAX_MS = 16_000;

export class Kubelet {
  readonly queue: WorkQueue;
  private readonly records = new Map<string, PodRecord>();
  private readonly byUid = new Map<string, string>();
  /** Pods sitting out their grace period, each off the queue so it holds no worker. */
  private readonly terminations = new PodTerminations();
  private readonly worker: PodWorker;
  private readonly probes: ProbeManager;
  private readonly record: Recorder;
  private readonly hostIP: string;
  private readonly writer: AdmittedWriter;
  private readonly health: RuntimeHealth;
  private orphansRemoved = false;
  private readonly reporter: NodeStatusReporter;
  /** In a simulated outage: nothing is posted, no pod is synced. */
  private silent = false;
  /** Entering or leaving an outage, one after the other. */
  private outage: Promise<void> = Promise.resolve();
  private started = false;
  private running: RunningController | undefined;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly o: KubeletOptions) {
    this.queue = new WorkQueue(o.clock, { baseDelayMs: 100, maxDelayMs: 30_000 });
    this.hostIP = o.hostIP ?? '127.0.0.1';
    this.writer = new AdmittedWriter(o.api, 'kubelet');
    this.record = o.events.for({ component: 'kubelet', host: o.name });
    this.probes = new ProbeManager(o.clock, o.runtime, (key, event) => {
      const pod = this.pods().get(key);
      if (event && pod) {
        const kind = event.kind[0]!.toUpperCase() + event.kind.slice(1);
        this.record(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${event.message}`);
      }
      this.queue.add(key);
    });
    this.worker = new PodWorker({
      store: o.store,
      clock: o.clock,
      runtime: o.runtime,
      probes: this.probes,
      record: this.record,
      hostIP: this.hostIP,
      stopAside: (key, stop) => this.terminations.start(key, stop, (error) => void this.terminated(key, error)),
    });
    this.health = new RuntimeHealth({
      clock: o.clock,
      runtime: o.runtime,
      ...(o.runtimeCheckMs !== undefined ? { periodMs: o.runtimeCheckMs } : {}),
      onCheck: (status, changed) => this.runtimeChecked(status, changed),
    });
    this.reporter = new NodeStatusReporter({
      nodeName: o.name,
      store: o.store,
      writer: this.writer,
      clock: o.clock,
      record: this.record,
      runtimeStatus: () => this.health.status,
      ...(o.leaseRenewMs !== undefined ? { leaseRenewMs: o.leaseRenewMs } : {}),
      ...(o.statusReportMs !== undefined ? { statusReportMs: o.statusReportMs } : {}),
    });
  }

  get nodeName(): string {
    return this.o.name;
  }

  private pods(): Map<string, Stored> {
    return this.o.dispatcher.podsOn(this.o.name);
  }

  /** Registers the node (or marks it Ready again) and starts syncing its pods. */
  async start(): Promise<void> {
    const options: NodeOptions = {
      ...this.o,
      hostIP: this.hostIP,
      runtimeVersion: `${this.o.runtime.name}://${this.o.runtime.version}`,
    };
    const existing = this.o.store.get(NODES, '', this.o.name);
    const now = this.o.clock.now();
    this.silent = existing !== undefined && inSimulatedOutage(existing.metadata);
    if (!existing) await this.writer.create(NODES, nodeObject(options, now));
    else if (!this.silent && !isNodeReady(existing))
      await this.writer.updateStatus(NODES, refreshedNode(existing, options, now));
    if (this.silent) {
      this.say(`kube-workbench: node ${this.o.name} is in a simulated outage: its kubelet stays silent`);
      await this.o.runtime.suspendNode?.().catch(() => undefined);
    } else {
      await this.removeOrphanSandboxes();
      this.startHeartbeats();
    }
    this.started = true;
    if (this.o.nodes) {
      const follow = (node: Stored) => {
        if (node.metadata.name === this.o.name) this.followOutage(inSimulatedOutage(node.metadata));
      };
      this.unsubscribe.push(this.o.nodes.addHandlers({ onAdd: follow, onUpdate: (_old, node) => follow(node) }));
    }
    this.unsubscribe.push(this.o.dispatcher.register(this.o.name, (key) => this.queue.add(key)));
    this.unsubscribe.push(
      this.o.runtime.onEvent((e) => {
        const key = this.byUid.get(e.podUid);
        if (key) this.queue.add(key);
      }),
    );
    this.running = runWorkers(`kubelet ${this.o.name}`, this.queue, this.o.workers ?? 4, (key) => this.syncPod(key));
  }

  async stop(): Promise<void> {
    this.started = false;
    this.stopHeartbeats();
    await this.outage;
    for (const u of this.unsubscribe.splice(0)) u();
    await this.running?.stop();
    for (const rec of this.records.values()) this.probes.forgetPod(rec.key);
  }

  /**
   * Sandboxes left from pods this kubelet no longer has (the fake runtime starts empty; a real one may not).
   * A finished pod's kept sandbox is remembered, to be removed when the pod is deleted.
   */
  private async removeOrphanSandboxes(): Promise<void> {
    const known = new Set([...this.pods().values()].map((p) => p.metadata.uid));
    let sandboxes;
    try {
      sandboxes = await this.o.runtime.listPodSandboxes();
    } catch {
      return; // the runtime does not answer: done when it is back
    }
    this.orphansRemoved = true;
    for (const s of sandboxes) {
      if (known.has(s.podUid)) {
        this.rememberFinished(s.podUid, s.id);
        continue;
      }
      await this.o.runtime.stopPodSandbox(s.id).catch(() => undefined);
      await this.o.runtime.removePodSandbox(s.id).catch(() => undefined);
    }
  }

  private rememberFinished(podUid: string, sandboxId: string): void {
    for (const [key, pod] of this.pods()) {
      const phase = isObject(pod.status) ? pod.status.phase : undefined;
      if (pod.metadata.uid !== podUid || (phase !== 'Succeeded' && phase !== 'Failed') || this.records.has(key))
        continue;
      const rec = newPodRecord(key, pod, this.o.clock.now());
      rec.sandboxId = sandboxId;
      rec.finished = true;
      this.records.set(key, rec);
      this.byUid.set(rec.uid, key);
    }
  }

  private startHeartbeats(): void {
    this.health.start();
    this.reporter.start();
  }

  private stopHeartbeats(): void {
    this.health.stop();
    this.reporter.stop();
  }

  /** The Node's simulated-outage annotation changed (or was seen): go silent, or come back. */
  private followOutage(wanted: boolean): void {
    if (!this.started) return;
    this.outage = this.outage
      .then(async () => {
        if (!this.started || wanted === this.silent) return;
        if (wanted) await this.enterOutage();
        else await this.leaveOutage();
      })
      .catch((error: unknown) => this.say(`kube-workbench: node ${this.o.name}: simulated outage: ${String(error)}`));
  }

  private async enterOutage(): Promise<void> {
    this.silent = true;
    this.stopHeartbeats();
    for (const rec of this.records.values()) this.probes.forgetPod(rec.key);
    this.say(
      `kube-workbench: node ${this.o.name}: simulated outage: its kubelet is silent and its containers are frozen`,
    );
    await this.o.runtime.suspendNode?.().catch((error: unknown) => {
      this.say(`kube-workbench: node ${this.o.name}: could not freeze its containers: ${String(error)}`);
    });
  }

  /** Containers run on; those of pods deleted or moved meanwhile go (orphans now, or at their pod's sync); every pod is synced. */
  private async leaveOutage(): Promise<void> {
    await this.o.runtime.resumeNode?.().catch((error: unknown) => {
      this.say(`kube-workbench: node ${this.o.name}: could not thaw its containers: ${String(error)}`);
    });
    await this.removeOrphanSandboxes();
    this.silent = false;
    this.say(`kube-workbench: node ${this.o.name}: back from its simulated outage`);
    await this.reporter.post(this.health.status);
    this.startHeartbeats();
    for (const key of new Set([...this.pods().keys(), ...this.records.keys()])) this.queue.add(key);
  }

  /** After each runtime check: the Node's Ready condition follows it; a change is said once and resyncs every pod. */
  private runtimeChecked(status: RuntimeStatus, changed: boolean): void {
    if (this.silent) return;
    void this.reporter.post(status);
    if (!changed) return;
    const name = this.o.name;
    this.say(
      status.ready
        ? `kube-workbench: node ${name} is Ready again: the container runtime answers`
        : `kube-workbench: node ${name} is NotReady: container runtime is down: ${status.message ?? 'no answer'} Pods wait for it and start when it answers again.`,
    );
    if (status.ready && !this.orphansRemoved) void this.removeOrphanSandboxes();
    for (const key of new Set([...this.pods().keys(), ...this.records.keys()])) this.queue.add(key);
  }

  private say(line: string): void {
    if (this.o.log) this.o.log(line);
    else process.stderr.write(`${line}\n`);
  }

  async syncPod(key: string): Promise<void> {
    if (this.silent) return; // synced again when the outage ends
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
    const status = await this.health.check();
    if (!status.ready) return status.message ?? 'it does not answer';
    if (error instanceof RuntimeUnavailableError) return error.message;
    return undefined;
  }

  /** The pod waits for the runtime: its status says why, and it is synced again after a back-off (or when the runtime is back). */
  private async waitForRuntime(key: string, why: string): Promise<void> {
    const rec = this.records.get(key);
    if (!rec) return; // nothing started, nothing to stop: the next sync starts from scratch
    const pod = this.pods().get(key);
    if (pod && !pod.metadata.deletionTimestamp && pod.metadata.uid === rec.uid) {
      this.worker.noteRuntimeDown(pod, rec, why);
      await this.writeStatus(key, rec);
    }
    const wait = rec.runtimeRetryMs ?? 1000;
    rec.runtimeRetryMs = Math.min(wait * 2, RUNTIME_RETRY_MAX_MS);
    this.queue.addAfter(key, wait);
  }

  private async syncPodWithRuntime(key: string): Promise<void> {
    if (this.terminations.has(key)) return; // synced again once the termination has finished
    const pod = this.pods().get(key);
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
      rec = newPodRecord(key, pod, this.o.clock.now());
      this.records.set(key, rec);
      this.byUid.set(rec.uid, key);
    }
    const wait = await this.worker.sync(pod, rec);
    delete rec.runtimeDown;
    delete rec.runtimeRetryMs;
    await this.writeStatus(key, rec);
    const latest = this.o.store.get(PODS, ...splitKey(key));
    const now = latest && isObject(latest.status) ? latest.status.phase : undefined;
    if (now === 'Succeeded' || now === 'Failed') await this.stopFinished(rec);
    else if (wait !== undefined) this.queue.addAfter(key, wait);
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
    if (!this.started || this.silent) return;
    const [namespace, name] = splitKey(key);
    await this.writer
      .delete(PODS, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } })
      .catch(() => undefined);
  }

  /**
   * A termination (or a container's stop, see PodWorkerDeps.stopAside) ended: the key is synced again
   * (a pod of the same name may wait, a stopped container restarts), or retried after a failure.
   */
  private async terminated(key: string, error: unknown): Promise<void> {
    if (!this.started) return;
    if (error === undefined) {
      this.queue.add(key);
      return;
    }
    try {
      const why = await this.runtimeDown(error);
      if (why !== undefined) return await this.waitForRuntime(key, why);
      if (!(error instanceof StatusError))
        this.say(
          `kube-workbench: kubelet ${this.o.name} ${key}: ${error instanceof Error ? error.message : 'termination failed'}`,
        );
    } catch {
      // the runtime check itself failed: retry below
    }
    this.queue.addRateLimited(key);
  }

  /**
   * A pod being deleted that this kubelet never synced (it restarted meanwhile, e.g. during a
   * simulated outage): the sandboxes the runtime holds for it are stopped and removed first.
   */
  private async killAdopted(key: string, pod: Stored): Promise<void> {
    const sandboxes = (await this.o.runtime.listPodSandboxes()).filter((s) => s.podUid === pod.metadata.uid);
    for (const s of sandboxes) {
      const rec = newPodRecord(key, pod, this.o.clock.now());
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
      const { runtime } = this.o;
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
    const current = this.o.store.get(PODS, namespace, name);
    if (!current || current.metadata.uid !== rec.uid) return;
    const old = isObject(current.status) ? current.status : {};
    const spec = isObject(current.spec) ? current.spec : {};
    const status = buildPodStatus({
      rec,
      old,
      restartPolicy: typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always',
      hostIP: this.hostIP,
      scheme: this.o.runtime.name,
      now: this.o.clock.now(),
    });
    if (jsonEqual(status, old)) return;
    // The writer copies only the status of a status write: the stored spec and metadata are passed as they are.
    await this.writer.updateStatus(PODS, { ...current, status });
  }
}
