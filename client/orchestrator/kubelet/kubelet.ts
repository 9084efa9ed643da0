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
 *
 * This file is the node's side; each pod's sync, status and termination: pod-syncer.ts.
 */
import { AdmittedWriter } from '../api/admitted-writer';
import type { ApiContext } from '../api/api-context';
import type { Clock } from '../clock';
import type { EventRecorder, Recorder } from '../machinery/event-recorder';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import type { Informer } from '../machinery/informer';
import { NODES } from '../machinery/informer-factory';
import { inSimulatedOutage } from '../protocol/node-annotations';
import { WorkQueue } from '../machinery/work-queue';
import type { ObjectStore, Stored } from '../store/object-store';
import { isNodeReady, nodeObject, refreshedNode, type NodeOptions } from './node-object';
import { NodeStatusReporter } from './node-status-reporter';
import type { PodDispatcher } from './pod-dispatcher';
import { PodSyncer } from './pod-syncer';
import type { ContainerRuntime, RuntimeStatus } from './runtime';
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

export class Kubelet {
  readonly queue: WorkQueue;
  private readonly syncer: PodSyncer;
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
    this.syncer = new PodSyncer({
      nodeName: o.name,
      store: o.store,
      clock: o.clock,
      runtime: o.runtime,
      queue: this.queue,
      writer: this.writer,
      record: this.record,
      hostIP: this.hostIP,
      pods: () => this.pods(),
      checkRuntime: () => this.health.check(),
      started: () => this.started,
      silent: () => this.silent,
      say: (line) => this.say(line),
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
        const key = this.syncer.keyOf(e.podUid);
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
    this.syncer.forgetProbes();
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
        this.syncer.rememberFinished(s.podUid, s.id);
        continue;
      }
      await this.o.runtime.stopPodSandbox(s.id).catch(() => undefined);
      await this.o.runtime.removePodSandbox(s.id).catch(() => undefined);
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
    this.syncer.forgetProbes();
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
    for (const key of new Set([...this.pods().keys(), ...this.syncer.keys()])) this.queue.add(key);
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
    for (const key of new Set([...this.pods().keys(), ...this.syncer.keys()])) this.queue.add(key);
  }

  private say(line: string): void {
    if (this.o.log) this.o.log(line);
    else process.stderr.write(`${line}\n`);
  }

  /** Syncs the pod `namespace/name` (the work queue's handler). */
  syncPod(key: string): Promise<void> {
    return this.syncer.syncPod(key);
  }
}
