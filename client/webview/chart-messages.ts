/**
 * The messages between the extension and the workload chart's webview, both
 * ways. The extension sends the whole last hour each time (a few hundred
 * points: cheaper than keeping two copies in step); the webview answers a
 * `report` request with what it has actually drawn, so tests read the chart
 * back instead of trusting what was sent.
 */

export type MarkerKind = 'rollout' | 'rescale' | 'restart' | 'eviction';

export interface ChartMarker {
  /** Unix seconds. */
  t: number;
  kind: MarkerKind;
  text: string;
}

/** One value per sample time; null where there was nothing to measure (no pods, no metrics yet). */
export type Series = (number | null)[];

export interface ChartData {
  title: string;
  /** `3 replicas (1–10), cpu 85%/50%` when a HorizontalPodAutoscaler scales the workload. */
  autoscaler?: string;
  /** Unix seconds of each sample. */
  t: number[];
  desired: Series;
  ready: Series;
  /** Millicores per pod: the average and the busiest pod, against the template's request and limit. */
  cpuAvg: Series;
  cpuMax: Series;
  cpuRequest: Series;
  cpuLimit: Series;
  /** MiB of working set per pod, the same way. */
  memoryAvg: Series;
  memoryMax: Series;
  memoryRequest: Series;
  memoryLimit: Series;
  /** Over all the workload's pods, through the Service and Ingress paths the cluster observes. */
  inFlight: Series;
  perSecond: Series;
  markers: ChartMarker[];
  /** Why a panel has no figures (no metrics API on this cluster, say). */
  notes: string[];
}

/** What the webview has drawn: per chart, its series' labels and the points it holds. */
export interface ChartReport {
  charts: { title: string; series: string[]; points: number; last: (number | null)[] }[];
  markers: ChartMarker[];
  /** The x range shown, unix seconds. */
  range: [number, number] | null;
  width: number;
  height: number;
}

export type ToWebview = { type: 'data'; data: ChartData } | { type: 'report'; id: number };

export type FromWebview = { type: 'ready' } | { type: 'report'; id: number; report: ChartReport };
