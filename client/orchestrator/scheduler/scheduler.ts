/**
 * Assigns pending pods to nodes, one pod at a time: filter the nodes, score
 * the ones that fit, assume the pod onto the best one (so the next pod sees
 * it) and bind it in the background (spec.nodeName plus PodScheduled=True in
 * one write, as the binding subresource does). A pod that fits nowhere stays
 * Pending with PodScheduled=False/Unschedulable and a FailedScheduling event,
 * and is retried with backoff when nodes or pods change.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { rfc3339 } from '../clock';
import { runWorkers, type RunningController } from '../machinery/controller-runner';
import { objectKey, type Informer } from '../machinery/informer';
import { NODES, PODS } from '../machinery/informer-factory';
import { WorkQueue } from '../machinery/work-queue';
import { clone, isObject, jsonEqual, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { writerFor, type ControllerContext } from '../machinery/controller-context';
import type { Recorder } from '../machinery/event-recorder';
import { filterNode, unschedulableMessage } from './filters';
import { ClusterState, type NodeInfo } from './node-info';
import { podRequests } from './pod-requests';
import { scoreNodes } from './scores';
import { claimProblem } from './volume-claims';
import { CLAIMS, STORAGE_CLASSES } from '../store/storage-class';
import { setCondition } from '../machinery/pod-conditions';

const DEFAULT_SCHEDULER = 'default-scheduler';
const RETRY_ALL_MS = 60_000;

export class Scheduler {
  readonly queue: WorkQueue;
  private readonly writer: AdmittedWriter;
  readonly state = new ClusterState();
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly claims: Informer;
  private readonly classes: Informer;
  private readonly record: Recorder;
  /** Unschedulable pods and how often they failed, retried on cluster changes. */
  private readonly unschedulable = new Map<string, number>();
  private readonly binding = new Set<Promise<void>>();
  /** `scheduleOne`'s nodes that fit, at the front (read before its first await). */
  private readonly feasible: NodeInfo[] = [];
  private timer: object | undefined;
  scheduled = 0;

  constructor(private readonly ctx: ControllerContext) {
    this.writer = writerFor(ctx, 'default-scheduler');
    this.queue = new WorkQueue(ctx.clock, { baseDelayMs: 1000, maxDelayMs: 10_000 });
    this.pods = ctx.informers.for(PODS);
    this.nodes = ctx.informers.for(NODES);
    this.claims = ctx.informers.for(CLAIMS);
    this.classes = ctx.informers.for(STORAGE_CLASSES);
    this.claims.addHandlers({ onAdd: () => this.retryUnschedulable(), onUpdate: () => this.retryUnschedulable() });
    this.record = ctx.events.for({ component: DEFAULT_SCHEDULER });
    this.nodes.addHandlers({
      onAdd: (node) => {
        this.state.setNode(node);
        this.retryUnschedulable();
      },
      onUpdate: (old, node) => {
        this.state.setNode(node);
        if (
          !jsonEqual(old.spec, node.spec) ||
          !jsonEqual(old.metadata.labels, node.metadata.labels) ||
          !sameAllocatable(old, node)
        ) {
          this.retryUnschedulable();
        }
      },
      onDelete: (node) => this.state.removeNode(node.metadata.name ?? ''),
    });
    this.pods.addHandlers({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, pod) => this.podChanged(pod),
      onDelete: (pod) => {
        const key = objectKey(pod);
        this.unschedulable.delete(key);
        if (this.state.nodeOf(key) !== undefined) {
          this.state.place(key, '', undefined);
          this.retryUnschedulable();
        }
      },
    });
  }

  run(): RunningController {
    const workers = runWorkers('scheduler', this.queue, 1, (key) => this.scheduleOne(key));
    const tick = () => {
      this.retryUnschedulable();
      this.timer = this.ctx.clock.setTimeout(tick, RETRY_ALL_MS);
    };
    this.timer = this.ctx.clock.setTimeout(tick, RETRY_ALL_MS);
    return {
      stop: async () => {
        if (this.timer) this.ctx.clock.clearTimeout(this.timer);
        await workers.stop();
        await Promise.allSettled([...this.binding]);
      },
    };
  }

  private podChanged(pod: Stored): void {
    const key = objectKey(pod);
    const spec = isObject(pod.spec) ? pod.spec : {};
    const node = typeof spec.nodeName === 'string' ? spec.nodeName : '';
    const phase = isObject(pod.status) ? pod.status.phase : undefined;
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    if (node !== '') {
      this.unschedulable.delete(key);
      const counted = this.state.nodeOf(key) !== undefined;
      this.state.place(key, terminal ? '' : node, pod);
      if (terminal && counted) this.retryUnschedulable();
      return;
    }
    if (this.state.nodeOf(key) !== undefined) return; // assumed; its binding is on the way
    const name = typeof spec.schedulerName === 'string' ? spec.schedulerName : DEFAULT_SCHEDULER;
    if (pod.metadata.deletionTimestamp || terminal || name !== DEFAULT_SCHEDULER) return;
    if (!this.unschedulable.has(key)) this.queue.add(key);
  }

  private retryUnschedulable(): void {
    for (const [key, failures] of this.unschedulable)
      this.queue.addAfter(key, Math.min(1000 * 2 ** (failures - 1), 10_000));
  }

  async scheduleOne(key: string): Promise<void> {
    const pod = this.pods.getByKey(key);
    if (!pod || pod.metadata.deletionTimestamp || this.state.nodeOf(key) !== undefined) return;
    const spec = isObject(pod.spec) ? pod.spec : {};
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return;
    const claims = claimProblem(pod, {
      claim: (namespace, name) => this.claims.get(namespace, name),
      storageClass: (name) => this.classes.get('', name),
    });
    if (claims !== undefined) {
      this.unschedulable.set(key, (this.unschedulable.get(key) ?? 0) + 1);
      await this.markUnschedulable(pod, `0/${this.state.nodes.size} nodes are available: ${claims}.`);
      return;
    }
    const requests = podRequests(pod);
    // The nodes that fit go to the front of one array kept for every pod (it was a new one of 100 per pod,
    // and its scores another); the reasons only when a node does not fit.
    const feasible = this.feasible;
    let fit = 0;
    let reasons: Map<string, number> | undefined;
    for (const info of this.state.nodes.values()) {
      const why = filterNode(pod, requests, info);
      if (why.length === 0) feasible[fit++] = info;
      else for (const reason of why) (reasons ??= new Map()).set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    feasible.length = fit; // no node of an earlier pod kept past them (a shorter length keeps the array's room)
    if (fit === 0) {
      const total = this.state.nodes.size;
      const message =
        total === 0
          ? 'no nodes available to schedule pods'
          : unschedulableMessage(total, reasons ?? new Map<string, number>());
      this.unschedulable.set(key, (this.unschedulable.get(key) ?? 0) + 1);
      await this.markUnschedulable(pod, message);
      return;
    }
    const chosen = pickBest(feasible, scoreNodes(pod, requests, feasible));
    const nodeName = chosen.node.metadata.name ?? '';
    this.unschedulable.delete(key);
    this.state.place(key, nodeName, pod);
    const binding = this.bind(key, nodeName).catch(() => {
      if (this.state.nodeOf(key) === nodeName && this.pods.getByKey(key) && !isBound(this.pods.getByKey(key)!)) {
        this.state.place(key, '', undefined);
        this.queue.addRateLimited(key);
      }
    });
    this.binding.add(binding);
    void binding.finally(() => this.binding.delete(binding));
  }

  private async bind(key: string, nodeName: string): Promise<void> {
    const [namespace, name] = splitPodKey(key);
    const current = this.ctx.store.get(PODS, namespace, name);
    if (!current || current.metadata.deletionTimestamp || isBound(current))
      throw new Error('pod changed before binding');
    const bound = await this.writer.bind(namespace, name, nodeName, (status) =>
      setCondition(status, {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: rfc3339(this.ctx.clock.now()),
      }),
    );
    this.scheduled++;
    this.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
  }

  private async markUnschedulable(pod: Stored, message: string): Promise<void> {
    this.record(pod, 'Warning', 'FailedScheduling', message);
    const status = isObject(pod.status) ? pod.status : {};
    const next = clone(pod) as KubeObject;
    next.status = setCondition(clone(status), {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null,
      lastTransitionTime: rfc3339(this.ctx.clock.now()),
    });
    if (jsonEqual(next.status, status)) return;
    await this.writer.updateStatus(PODS, next);
  }
}

function isBound(pod: Stored): boolean {
  return isObject(pod.spec) && typeof pod.spec.nodeName === 'string' && pod.spec.nodeName !== '';
}

function splitPodKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function sameAllocatable(a: Stored, b: Stored): boolean {
  const alloc = (n: Stored) => (isObject(n.status) ? n.status.allocatable : undefined);
  return jsonEqual(alloc(a), alloc(b));
}

/** The highest score; ties broken at random so equal nodes share the load. */
function pickBest(nodes: readonly NodeInfo[], scores: Float64Array): NodeInfo {
  let best = -Infinity;
  let chosen = nodes[0]!;
  let ties = 0;
  for (let i = 0; i < nodes.length; i++) {
    const s = scores[i]!;
    if (s > best) {
      best = s;
      chosen = nodes[i]!;
      ties = 1;
    } else if (s === best && Math.random() * ++ties < 1) chosen = nodes[i]!;
  }
  return chosen;
}
