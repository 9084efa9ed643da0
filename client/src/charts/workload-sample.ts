/**
 * One sample of a workload from what the extension already knows (its
 * informer cache) and what the metrics APIs answer: replicas, restarts,
 * revision, per-pod usage against the template's requests and limits, and
 * requests in flight and per second. No `vscode` here.
 */
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector.js';
import { bytes, milliCpu, parseQuantity } from '../../../server/kube-model/quantity.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Snapshot } from '../kube/resource-cache.js';
import type { MarkerEvent, WorkloadSample } from './workload-history.js';
import { obj, arr, str, num } from '../kube/json-fields.js';

export interface PodUsage {
  /** Millicores. */
  cpu: number;
  /** Bytes of working set. */
  memory: number;
}

export interface Concurrency {
  inFlight: number | null;
  perSecond: number | null;
}

/** The workload's pods: its selector, in its namespace. */
export function podsOf(workload: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const matches = labelSelectorMatcher(obj(workload.spec).selector);
  const ns = workload.metadata?.namespace ?? '';
  return pods.filter(
    (p) => (p.metadata?.namespace ?? '') === ns && matches(obj(p.metadata?.labels) as Record<string, string>),
  );
}

/** A pod template's requests and limits, summed over its containers; null when no container sets one. */
export function templateResources(workload: KubeObject) {
  const containers = arr(obj(obj(obj(workload.spec).template).spec).containers);
  const total = (section: 'requests' | 'limits', resource: 'cpu' | 'memory') => {
    const values = containers.map((c) => obj(obj(c.resources)[section])[resource]).filter((v) => v !== undefined);
    if (values.length === 0) return null;
    return values.reduce<number>((sum, v) => sum + (resource === 'cpu' ? milliCpu(v) : bytes(v)), 0);
  };
  return {
    cpuRequest: total('requests', 'cpu'),
    cpuLimit: total('limits', 'cpu'),
    memoryRequest: total('requests', 'memory'),
    memoryLimit: total('limits', 'memory'),
  };
}

/** A Deployment's revision (its annotation); a StatefulSet's update revision; a ReplicaSet's template hash. */
export function revisionOf(workload: KubeObject): string {
  const annotations = obj(workload.metadata?.annotations);
  return (
    str(annotations['deployment.kubernetes.io/revision']) ||
    str(obj(workload.status).updateRevision) ||
    str(obj(workload.metadata?.labels)['pod-template-hash'])
  );
}

/** Per pod, CPU and memory summed over its containers, from a PodMetricsList. */
export function usageByPod(podMetrics: unknown): Map<string, PodUsage> {
  const out = new Map<string, PodUsage>();
  for (const item of arr(obj(podMetrics).items)) {
    let cpu = 0;
    let memory = 0;
    for (const c of arr(item.containers)) {
      const usage = obj(c.usage);
      cpu += milliCpu(usage.cpu);
      memory += bytes(usage.memory);
    }
    out.set(str(obj(item.metadata).name), { cpu, memory });
  }
  return out;
}

/** The sum of a custom metric over the pods it describes (a MetricValueList), or null when it lists none. */
export function metricSum(list: unknown): number | null {
  const items = arr(obj(list).items);
  if (items.length === 0) return null;
  return items.reduce((sum, i) => {
    const value = parseQuantity(typeof i.value === 'number' || typeof i.value === 'string' ? i.value : 0);
    return sum + (Number.isFinite(value) ? value : 0);
  }, 0);
}

export function sampleOf(
  t: number,
  workload: KubeObject,
  snap: Snapshot,
  usage: ReadonlyMap<string, PodUsage>,
  concurrency: Concurrency,
): WorkloadSample {
  const pods = podsOf(workload, snap.objects('Pod')).filter((p) => !p.metadata?.deletionTimestamp);
  const spec = obj(workload.spec);
  const status = obj(workload.status);
  const measured = pods.map((p) => usage.get(p.metadata?.name ?? '')).filter((u): u is PodUsage => u !== undefined);
  return {
    t,
    desired: typeof spec.replicas === 'number' ? spec.replicas : 1,
    ready: num(status.readyReplicas),
    revision: revisionOf(workload),
    restarts: pods.reduce(
      (sum, p) => sum + arr(obj(p.status).containerStatuses).reduce((s, c) => s + num(c.restartCount), 0),
      0,
    ),
    cpu: measured.map((u) => u.cpu),
    memory: measured.map((u) => u.memory),
    ...templateResources(workload),
    ...concurrency,
  };
}

const EVICTION_REASONS = new Set(['Evicted', 'TaintManagerEviction', 'Preempted', 'Preempting']);

/** Events that become markers: an autoscaler's rescales of this workload, evictions of pods it has had. */
export function markerEvents(
  events: readonly KubeObject[],
  workload: KubeObject,
  autoscalers: readonly string[],
  podNames: ReadonlySet<string>,
): MarkerEvent[] {
  const ns = workload.metadata?.namespace ?? '';
  const out: MarkerEvent[] = [];
  for (const e of events) {
    if ((e.metadata?.namespace ?? '') !== ns) continue;
    const involved = obj(e.involvedObject);
    const when = str(e.lastTimestamp) || str(e.eventTime) || str(e.metadata?.creationTimestamp);
    const t = Date.parse(when) / 1000;
    if (!Number.isFinite(t)) continue;
    const base = { uid: str(e.metadata?.uid) || `${str(e.metadata?.name)}`, count: num(e.count) || 1, t };
    const reason = str(e.reason);
    if (
      reason === 'SuccessfulRescale' &&
      involved.kind === 'HorizontalPodAutoscaler' &&
      autoscalers.includes(str(involved.name))
    )
      out.push({ ...base, kind: 'rescale', text: str(e.message) });
    else if (EVICTION_REASONS.has(reason) && involved.kind === 'Pod' && podNames.has(str(involved.name)))
      out.push({ ...base, kind: 'eviction', text: `${str(involved.name)}: ${str(e.message) || reason}` });
  }
  return out;
}
