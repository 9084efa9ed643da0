/**
 * Informers (client-node: one list, then a watch stream) for every kind the
 * explorer shows, cluster-wide. It is the explorer's Snapshot and says when
 * something changed, coalescing bursts into one notification.
 */
import type { ClusterConnection } from './cluster-connection.js';
import type { KubeObject } from './kube-object.js';
import { ClusterError, errorText } from './cluster-error.js';
import type { K8s } from './client-node.js';
import { MetricsPoll } from './metrics-poll.js';

export interface Snapshot {
  /** Every cached object of a kind (`Pod`, `Deployment`, ...); empty when the kind is not watched. */
  objects(kind: string): readonly KubeObject[];
}

export const WATCHED_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'Node' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Endpoints' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Event' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
];

type CachedInformer = K8s.Informer<KubeObject & K8s.KubernetesObject> &
  K8s.ObjectCache<KubeObject & K8s.KubernetesObject>;

export class ResourceCache implements Snapshot {
  private readonly informers = new Map<string, CachedInformer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Kinds the cluster does not serve, and informers that failed, with why. */
  readonly problems = new Map<string, string>();
  /** NodeMetrics and PodMetrics, read on a timer (the metrics API has no watch). */
  private readonly metrics: MetricsPoll;

  constructor(
    private readonly conn: ClusterConnection,
    private readonly onChange: () => void,
    private readonly log: (message: string) => void = () => undefined,
    private readonly coalesceMs = 100,
  ) {
    this.metrics = new MetricsPoll(conn, () => this.changed(), log);
  }

  /** Starts every informer; resolves once each has listed (or failed). */
  async start(): Promise<void> {
    this.metrics.start();
    await Promise.all(WATCHED_KINDS.map((k) => this.startOne(k.apiVersion, k.kind)));
  }

  private async startOne(apiVersion: string, kind: string): Promise<void> {
    let informer: CachedInformer;
    try {
      informer = await this.conn.reader.informer(apiVersion, kind);
    } catch (error) {
      this.problems.set(kind, errorText(error));
      if (!(error instanceof ClusterError && error.notFound)) this.log(`watching ${kind}: ${errorText(error)}`);
      return;
    }
    if (this.stopped) return;
    this.informers.set(kind, informer);
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => this.changed());
    informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      this.log(`the watch of ${kind} broke (${errorText(error)}); restarting it in 2 s`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopped)
          informer.start().catch((e: unknown) => this.log(`restarting the watch of ${kind}: ${errorText(e)}`));
      }, 2_000);
      this.timers.add(timer);
    });
    try {
      await informer.start();
      this.problems.delete(kind);
    } catch (error) {
      this.problems.set(kind, errorText(error));
      this.log(`listing ${kind}: ${errorText(error)}`);
    }
    this.changed();
  }

  private changed(): void {
    if (this.pending || this.stopped) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.stopped) this.onChange();
    }, this.coalesceMs);
  }

  objects(kind: string): readonly KubeObject[] {
    return this.metrics.objects(kind) ?? this.informers.get(kind)?.list() ?? [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.metrics.stop();
    if (this.pending) clearTimeout(this.pending);
    for (const t of this.timers) clearTimeout(t);
    await Promise.all([...this.informers.values()].map((i) => i.stop().catch(() => undefined)));
    this.informers.clear();
  }
}
