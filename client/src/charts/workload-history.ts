/**
 * The last hour of one workload, as the chart draws it: a sample per tick
 * (replicas, CPU and memory per pod against requests and limits, requests in
 * flight and per second) and markers where something happened (a rollout, a
 * rescale, container restarts, evictions). Markers come from comparing each
 * sample with the one before and from the cluster's events. No `vscode` here.
 */
import type { ChartData, ChartMarker, MarkerKind, Series } from '../../webview/chart-messages.js';

export interface WorkloadSample {
  /** Unix seconds. */
  t: number;
  desired: number | null;
  ready: number | null;
  /** The Deployment's revision (its newest ReplicaSet's), or the StatefulSet's update revision. */
  revision: string;
  /** Restarts summed over the workload's current pods. */
  restarts: number;
  /** Millicores of each pod that reported metrics. */
  cpu: number[];
  /** Bytes of working set of each pod that reported metrics. */
  memory: number[];
  cpuRequest: number | null;
  cpuLimit: number | null;
  memoryRequest: number | null;
  memoryLimit: number | null;
  inFlight: number | null;
  perSecond: number | null;
}

/** An event of the cluster that may become a marker (rescales, evictions). */
export interface MarkerEvent {
  uid: string;
  count: number;
  t: number;
  kind: MarkerKind;
  text: string;
}

const MIB = 2 ** 20;
const KEYS = [
  'desired',
  'ready',
  'cpuAvg',
  'cpuMax',
  'cpuRequest',
  'cpuLimit',
  'memoryAvg',
  'memoryMax',
  'memoryRequest',
  'memoryLimit',
  'inFlight',
  'perSecond',
] as const;
type Key = (typeof KEYS)[number];

const average = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const largest = (xs: readonly number[]) => (xs.length ? Math.max(...xs) : null);
const round = (x: number | null, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

export class WorkloadHistory {
  private readonly t: number[] = [];
  private readonly series = Object.fromEntries(KEYS.map((k) => [k, [] as Series])) as Record<Key, Series>;
  private markers: ChartMarker[] = [];
  private last: WorkloadSample | undefined;
  /** Events already turned into markers, by uid, with the count seen (a repeated event counts again). */
  private readonly seenEvents = new Map<string, number>();

  constructor(
    readonly title: string,
    private readonly windowSeconds = 3600,
  ) {}

  record(sample: WorkloadSample, lastRescaleReason?: string): void {
    const before = this.last;
    if (before) {
      if (sample.revision !== '' && before.revision !== '' && sample.revision !== before.revision)
        this.mark({ t: sample.t, kind: 'rollout', text: `rollout to revision ${sample.revision}` });
      if (sample.desired !== null && before.desired !== null && sample.desired !== before.desired) {
        const change = `${before.desired} → ${sample.desired} replicas`;
        // The autoscaler's event may have come first: it gets the change in front of its reason.
        const told = this.markers.find((m) => m.kind === 'rescale' && sample.t - m.t <= 30 && !m.text.includes('→'));
        if (told) told.text = `${change}: ${told.text}`;
        else
          this.mark({
            t: sample.t,
            kind: 'rescale',
            text: `${change}${lastRescaleReason ? `: ${lastRescaleReason}` : ''}`,
          });
      }
      if (sample.restarts > before.restarts)
        this.mark({
          t: sample.t,
          kind: 'restart',
          text: `${sample.restarts - before.restarts} container restart${sample.restarts - before.restarts === 1 ? '' : 's'}`,
        });
    }
    this.last = sample;
    const row: Record<Key, number | null> = {
      desired: sample.desired,
      ready: sample.ready,
      cpuAvg: round(average(sample.cpu), 0),
      cpuMax: round(largest(sample.cpu), 0),
      cpuRequest: sample.cpuRequest,
      cpuLimit: sample.cpuLimit,
      memoryAvg: round(average(sample.memory.map((b) => b / MIB))),
      memoryMax: round(largest(sample.memory.map((b) => b / MIB))),
      memoryRequest: round(sample.memoryRequest === null ? null : sample.memoryRequest / MIB),
      memoryLimit: round(sample.memoryLimit === null ? null : sample.memoryLimit / MIB),
      inFlight: sample.inFlight,
      perSecond: round(sample.perSecond, 2),
    };
    this.t.push(sample.t);
    for (const k of KEYS) this.series[k].push(row[k]);
    this.trim(sample.t);
  }

  /** Events of the cluster: each new one (or one whose count grew) becomes a marker once. */
  events(events: readonly MarkerEvent[]): void {
    const oldest = this.t[0] ?? -Infinity;
    for (const e of events) {
      if (e.t < oldest) continue;
      const seen = this.seenEvents.get(e.uid);
      if (seen !== undefined && seen >= e.count) continue;
      this.seenEvents.set(e.uid, e.count);
      // A rescale the replicas already showed is not marked twice: the event's text replaces the plain one.
      if (e.kind === 'rescale') {
        const near = this.markers.find(
          (m) => m.kind === 'rescale' && Math.abs(m.t - e.t) <= 30 && !m.text.includes(':'),
        );
        if (near) {
          near.text = `${near.text}: ${e.text}`;
          continue;
        }
      }
      this.mark({ t: e.t, kind: e.kind, text: e.text });
    }
  }

  private mark(marker: ChartMarker): void {
    this.markers.push(marker);
    this.markers.sort((a, b) => a.t - b.t);
  }

  private trim(now: number): void {
    const cutoff = now - this.windowSeconds;
    let drop = 0;
    while (drop < this.t.length && this.t[drop]! < cutoff) drop++;
    if (drop > 0) {
      this.t.splice(0, drop);
      for (const k of KEYS) this.series[k].splice(0, drop);
    }
    this.markers = this.markers.filter((m) => m.t >= cutoff);
  }

  get size(): number {
    return this.t.length;
  }

  data(extra: { autoscaler?: string; notes?: string[] } = {}): ChartData {
    const data: ChartData = {
      title: this.title,
      t: [...this.t],
      ...(Object.fromEntries(KEYS.map((k) => [k, [...this.series[k]]])) as Record<Key, Series>),
      markers: this.markers.map((m) => ({ ...m })),
      notes: extra.notes ?? [],
    };
    if (extra.autoscaler !== undefined) data.autoscaler = extra.autoscaler;
    return data;
  }
}
