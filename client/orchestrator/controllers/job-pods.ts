/**
 * What the Job controller reads off its pods and how it makes new ones:
 * which are active, finished or terminating, when they finished, the
 * completion index of an Indexed Job's pods, the back-off before a
 * replacement after failures, and a pod from the Job's template.
 */
import { clone, isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { ownerReferenceTo } from '../machinery/controller-context';
import { podPhase, podStatus, qosClass } from '../machinery/pod-state';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** The first delay after a failed pod; it doubles with each further failure up to the cap (Kubernetes' values). */
export const POD_BACKOFF_BASE_MS = 10_000;
export const POD_BACKOFF_MAX_MS = 360_000;

export interface JobPods {
  /** Pending or running, not being deleted. */
  active: Stored[];
  succeeded: Stored[];
  failed: Stored[];
  /** Being deleted and not finished. */
  terminating: Stored[];
}

export function classifyPods(pods: readonly Stored[]): JobPods {
  const out: JobPods = { active: [], succeeded: [], failed: [], terminating: [] };
  for (const pod of pods) {
    const phase = podPhase(pod);
    if (phase === 'Succeeded') out.succeeded.push(pod);
    else if (phase === 'Failed') out.failed.push(pod);
    else if (pod.metadata.deletionTimestamp) out.terminating.push(pod);
    else out.active.push(pod);
  }
  return out;
}

/** When the pod's last container ended (ms), else when it was created. */
export function finishedAt(pod: Stored): number {
  let last = Number.NaN;
  const status = podStatus(pod);
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    for (const s of Array.isArray(list) ? list : []) {
      const terminated = isObject(s) && isObject(s.state) ? s.state.terminated : undefined;
      const at =
        isObject(terminated) && typeof terminated.finishedAt === 'string' ? Date.parse(terminated.finishedAt) : NaN;
      if (!Number.isNaN(at) && !(at <= last)) last = at;
    }
  }
  return Number.isNaN(last) ? Date.parse(pod.metadata.creationTimestamp ?? '') || 0 : last;
}

/**
 * When a replacement may be created after failures: the failures since the last success wait
 * 10 s, 20 s, 40 s... (at most 6 min) after the latest of them. Undefined when there is nothing to wait for.
 */
export function replacementAllowedAt(pods: JobPods): number | undefined {
  const lastSuccess = Math.max(-Infinity, ...pods.succeeded.map(finishedAt));
  const failures = pods.failed.map(finishedAt).filter((t) => t > lastSuccess);
  if (failures.length === 0) return undefined;
  const delay = Math.min(POD_BACKOFF_BASE_MS * 2 ** (failures.length - 1), POD_BACKOFF_MAX_MS);
  return Math.max(...failures) + delay;
}

/** Container restarts of the active pods: under restartPolicy OnFailure these are the Job's failures. */
export function activeRestarts(active: readonly Stored[]): number {
  let total = 0;
  for (const pod of active) {
    const status = podStatus(pod);
    for (const list of [status.initContainerStatuses, status.containerStatuses])
      for (const s of Array.isArray(list) ? list : [])
        if (isObject(s) && typeof s.restartCount === 'number') total += s.restartCount;
  }
  return total;
}

/** The completion index of an Indexed Job's pod, or undefined. */
export function completionIndex(pod: Stored): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** `1,3-5,7`: sorted indexes, runs of three or more written as ranges. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * A new pod from the Job's template, owned by it: `<job>-xxxxx`, or for an Indexed Job
 * `<job>-<index>-xxxxx` with the index as annotation, label, `JOB_COMPLETION_INDEX` and hostname.
 */
export function jobPodFromTemplate(job: Stored, index?: number): KubeObject {
  const spec = isObject(job.spec) ? job.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const meta = isObject(template.metadata) ? template.metadata : {};
  const podSpec = clone<JsonObject>(isObject(template.spec) ? template.spec : {});
  const name = job.metadata.name ?? '';
  const labels = isObject(meta.labels) ? (clone(meta.labels) as Record<string, string>) : {};
  const annotations = isObject(meta.annotations) ? (clone(meta.annotations) as Record<string, string>) : {};
  if (index !== undefined) {
    labels[COMPLETION_INDEX] = String(index);
    annotations[COMPLETION_INDEX] = String(index);
    podSpec.hostname ??= `${name}-${index}`;
    const indexEnv = {
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
    };
    for (const key of ['initContainers', 'containers']) {
      const list = podSpec[key];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isObject(c)) continue;
        const env: unknown[] = Array.isArray(c.env) ? c.env : [];
        if (!env.some((e) => isObject(e) && e.name === 'JOB_COMPLETION_INDEX')) c.env = [indexEnv, ...env];
      }
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace ?? 'default',
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [ownerReferenceTo(job)],
    },
    spec: podSpec,
    status: { phase: 'Pending', qosClass: qosClass(podSpec) },
  };
}
