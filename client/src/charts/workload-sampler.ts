/**
 * Samples one workload on a timer while its chart is open: the workload, its
 * pods, autoscalers and events from the informer cache (the watch streams),
 * per-pod usage from `metrics.k8s.io` and request concurrency from
 * `custom.metrics.k8s.io`. A cluster that serves no metrics API still gets
 * its replica chart, and a note says why the other panels are empty.
 * No `vscode` here: time and the cluster are passed in.
 */
import { labelSelectorString } from '../../../server/kube-model/label-selector.js';
import { ClusterError } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Snapshot } from '../kube/resource-cache.js';
import { autoscalersOf, hpaSummary } from '../explorer/hpa-summary.js';
import type { ChartData } from '../../webview/chart-messages.js';
import { WorkloadHistory } from './workload-history.js';
import { markerEvents, metricSum, podsOf, sampleOf, usageByPod, type PodUsage } from './workload-sample.js';

export interface WorkloadKey {
  kind: string;
  namespace: string;
  name: string;
}

const NO_RESOURCE_METRICS =
  'This cluster serves no metrics.k8s.io: CPU and memory stay empty (on a real cluster, install metrics-server).';
const NO_CUSTOM_METRICS =
  'This cluster serves no custom.metrics.k8s.io request metrics: requests in flight and per second stay empty.';

export class WorkloadSampler {
  readonly history: WorkloadHistory;
  private readonly podNames = new Set<string>();
  private readonly notes = new Set<string>();
  private gone = false;

  constructor(
    readonly key: WorkloadKey,
    private readonly conn: () => Promise<ClusterConnection>,
    private readonly snapshot: () => Snapshot | undefined,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.history = new WorkloadHistory(`${key.kind} ${key.namespace}/${key.name}`);
  }

  private workload(snap: Snapshot): KubeObject | undefined {
    return snap
      .objects(this.key.kind)
      .find((o) => o.metadata?.name === this.key.name && (o.metadata?.namespace ?? '') === this.key.namespace);
  }

  private async get(conn: ClusterConnection, path: string, query: Record<string, string>, note: string) {
    try {
      const answer = await conn.request('GET', path, { query });
      this.notes.delete(note);
      return answer;
    } catch (error) {
      // 404/503: the API group is not served (or not yet); anything else is a real failure worth showing.
      if (error instanceof ClusterError && (error.status === 404 || error.status === 503)) this.notes.add(note);
      else this.notes.add(`${note.split(':')[0]}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Takes one sample; false once the workload is gone from the cluster. */
  async tick(): Promise<boolean> {
    const snap = this.snapshot();
    if (!snap) return true;
    const workload = this.workload(snap);
    if (!workload) {
      if (!this.gone) this.notes.add(`${this.history.title} no longer exists; the chart keeps what it saw.`);
      this.gone = true;
      return false;
    }
    this.gone = false;
    const conn = await this.conn();
    const ns = encodeURIComponent(this.key.namespace);
    const labelSelector = labelSelectorString(((workload.spec ?? {}) as { selector?: unknown }).selector);
    const query = { labelSelector };
    const [podMetrics, inFlight, perSecond] = await Promise.all([
      this.get(conn, `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, query, NO_RESOURCE_METRICS),
      this.get(
        conn,
        `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/http_requests_in_flight`,
        query,
        NO_CUSTOM_METRICS,
      ),
      this.get(
        conn,
        `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/http_requests_per_second`,
        query,
        NO_CUSTOM_METRICS,
      ),
    ]);
    const usage = podMetrics ? usageByPod(podMetrics) : new Map<string, PodUsage>();
    for (const pod of podsOf(workload, snap.objects('Pod'))) this.podNames.add(pod.metadata?.name ?? '');
    const autoscalers = autoscalersOf(workload, snap.objects('HorizontalPodAutoscaler'));
    const events = markerEvents(
      snap.objects('Event'),
      workload,
      autoscalers.map((h) => h.metadata?.name ?? ''),
      this.podNames,
    );
    const lastRescale = events.filter((e) => e.kind === 'rescale').sort((a, b) => b.t - a.t)[0];
    this.history.record(
      sampleOf(this.now(), workload, snap, usage, { inFlight: metricSum(inFlight), perSecond: metricSum(perSecond) }),
      lastRescale?.text,
    );
    this.history.events(events);
    return true;
  }

  data(): ChartData {
    const snap = this.snapshot();
    const workload = snap && this.workload(snap);
    const hpa = workload && snap ? autoscalersOf(workload, snap.objects('HorizontalPodAutoscaler'))[0] : undefined;
    const extra: { autoscaler?: string; notes: string[] } = { notes: [...this.notes] };
    if (hpa) extra.autoscaler = `autoscaler ${hpa.metadata?.name ?? ''}: ${hpaSummary(hpa).text}`;
    return this.history.data(extra);
  }
}
