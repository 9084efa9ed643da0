/**
 * Resource usage for the tree: `metrics.k8s.io` has no watch, so its
 * NodeMetrics and PodMetrics lists are read every 15 s (metrics-server's own
 * resolution) and offered as two more kinds of the cache's snapshot. A
 * cluster that does not serve the API is asked again only once a minute.
 */
import { ClusterError, errorText } from './cluster-error.js';
import type { ClusterConnection } from './cluster-connection.js';
import type { KubeObject } from './kube-object.js';

export const METRIC_KINDS = { NodeMetrics: 'nodes', PodMetrics: 'pods' } as const;
const BASE = '/apis/metrics.k8s.io/v1beta1';

export class MetricsPoll {
  private readonly lists = new Map<string, readonly KubeObject[]>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failure = '';

  constructor(
    private readonly conn: ClusterConnection,
    private readonly onChange: () => void,
    private readonly log: (message: string) => void,
    private readonly intervalMs = 15_000,
    private readonly absentRetryMs = 60_000,
  ) {}

  start(): void {
    void this.poll();
  }

  private async poll(): Promise<void> {
    let next = this.intervalMs;
    try {
      let changed = false;
      for (const [kind, resource] of Object.entries(METRIC_KINDS)) {
        const { items } = await this.conn.request<{ items?: KubeObject[] }>('GET', `${BASE}/${resource}`);
        const list = Array.isArray(items) ? items : [];
        const before = this.lists.get(kind);
        if (JSON.stringify(before) !== JSON.stringify(list)) changed = true;
        this.lists.set(kind, list);
      }
      this.failure = '';
      if (changed && !this.stopped) this.onChange();
    } catch (error) {
      const absent = error instanceof ClusterError && (error.status === 404 || error.status === 503);
      if (absent) next = this.absentRetryMs;
      const text = errorText(error);
      if (!absent && text !== this.failure) this.log(`reading resource metrics: ${text}`);
      this.failure = text;
      if (this.lists.size > 0) {
        this.lists.clear();
        if (!this.stopped) this.onChange();
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), next);
  }

  objects(kind: string): readonly KubeObject[] | undefined {
    return kind in METRIC_KINDS ? (this.lists.get(kind) ?? []) : undefined;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
