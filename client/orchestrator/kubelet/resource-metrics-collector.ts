/**
 * The kubelet's resource metrics, as metrics-server gathers them: every
 * `intervalMs` (metrics-server's resolution, 15 s by default) one
 * non-streaming stats sample per running container, at most `concurrency`
 * calls at once; a container's CPU is the difference of two samples'
 * cumulative counters over their timestamps (nanocores), its memory the last
 * working set. A pod shows once every running container has two samples.
 * The node's usage is the sum of its pods' (Kubernetes reads the node's root
 * cgroup, which also counts system processes; here only pods run).
 */
import type { ContainerUsage, NodeUsage, PodUsage, ResourceMetricsSource } from '../api/metrics/metrics-source';
import type { Clock, Timer } from '../clock';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { ContainerRuntime, ContainerStats } from './runtime';

export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

export interface ResourceMetricsCollectorOptions {
  nodeName: string;
  clock: Clock;
  runtime: ContainerRuntime;
  /** The pods bound to this node. */
  pods: () => Iterable<Stored>;
  intervalMs?: number;
  concurrency?: number;
}

interface Sample {
  stats: ContainerStats;
  prev?: ContainerStats;
}

function runningContainers(pod: Stored): { name: string; id: string }[] {
  const status = isObject(pod.status) ? pod.status : {};
  const list = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  const out: { name: string; id: string }[] = [];
  for (const c of list) {
    if (!isObject(c) || typeof c.name !== 'string' || typeof c.containerID !== 'string') continue;
    if (!isObject(c.state) || !isObject(c.state.running)) continue;
    const id = c.containerID.slice(c.containerID.indexOf('://') + 3);
    if (id !== '') out.push({ name: c.name, id });
  }
  return out;
}

export class ResourceMetricsCollector implements ResourceMetricsSource {
  private readonly samples = new Map<string, Sample>();
  private podMetrics: PodUsage[] = [];
  private nodeMetrics: NodeUsage | undefined;
  private timer: Timer | undefined;
  private scraping: Promise<void> | undefined;
  private stopped = false;
  readonly intervalMs: number;

  constructor(private readonly o: ResourceMetricsCollectorOptions) {
    this.intervalMs = o.intervalMs ?? DEFAULT_METRIC_RESOLUTION_MS;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    await this.scraping;
  }

  pods(): PodUsage[] {
    return this.podMetrics;
  }

  nodes(): NodeUsage[] {
    return this.nodeMetrics ? [this.nodeMetrics] : [];
  }

  /** Scrapes at a fixed rate (a scrape that overruns its interval is followed at once by the next). */
  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      const started = this.o.clock.now();
      this.scraping = this.scrape()
        .catch(() => undefined)
        .finally(() => this.schedule(Math.max(0, this.intervalMs - (this.o.clock.now() - started))));
    }, ms);
  }

  /** One scrape of every running container of the node's pods. */
  async scrape(): Promise<void> {
    const runtime = this.o.runtime;
    if (!runtime.containerStats) return;
    const work: { pod: Stored; name: string; id: string }[] = [];
    for (const pod of this.o.pods()) for (const c of runningContainers(pod)) work.push({ pod, name: c.name, id: c.id });
    const seen = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const item = work[next++]!;
        seen.add(item.id);
        const stats = await runtime.containerStats!(item.id, item.pod.metadata.annotations ?? {}).catch(
          () => undefined,
        );
        if (!stats) {
          this.samples.delete(item.id);
          continue;
        }
        const old = this.samples.get(item.id);
        // A sample no newer than the last one (the engine's cache) keeps the window it had.
        if (old && stats.timestamp <= old.stats.timestamp) continue;
        this.samples.set(item.id, { stats, ...(old ? { prev: old.stats } : {}) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 4, work.length) }, worker));
    for (const id of this.samples.keys()) if (!seen.has(id)) this.samples.delete(id);
    this.publish(work);
  }

  private publish(work: { pod: Stored; name: string; id: string }[]): void {
    const byPod = new Map<Stored, { name: string; id: string }[]>();
    for (const item of work) byPod.set(item.pod, [...(byPod.get(item.pod) ?? []), item]);
    const pods: PodUsage[] = [];
    let nodeCpu = 0;
    let nodeMemory = 0;
    let latest = 0;
    let window = 0;
    for (const [pod, containers] of byPod) {
      const usage: ContainerUsage[] = [];
      let timestamp = 0;
      let windowMs = 0;
      for (const c of containers) {
        const sample = this.samples.get(c.id);
        if (!sample?.prev) break;
        const ms = sample.stats.timestamp - sample.prev.timestamp;
        const cpuNs = Math.max(0, sample.stats.cpuUsageNanoSeconds - sample.prev.cpuUsageNanoSeconds);
        usage.push({
          name: c.name,
          cpuNanoCores: Math.round((cpuNs * 1000) / ms),
          memoryBytes: sample.stats.memoryWorkingSetBytes,
        });
        timestamp = Math.max(timestamp, sample.stats.timestamp);
        windowMs = Math.max(windowMs, ms);
      }
      if (usage.length !== containers.length) continue;
      pods.push({
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        timestamp,
        windowMs,
        containers: usage,
      });
      for (const u of usage) {
        nodeCpu += u.cpuNanoCores;
        nodeMemory += u.memoryBytes;
      }
      latest = Math.max(latest, timestamp);
      window = Math.max(window, windowMs);
    }
    this.podMetrics = pods;
    const now = this.o.clock.now();
    this.nodeMetrics = {
      name: this.o.nodeName,
      timestamp: latest || now,
      windowMs: window || this.intervalMs,
      cpuNanoCores: nodeCpu,
      memoryBytes: nodeMemory,
    };
  }
}
