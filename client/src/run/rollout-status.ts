/**
 * Whether a workload has rolled out, is still progressing, or has failed and
 * why (ImagePullBackOff, CrashLoopBackOff, Unschedulable, a failing probe), from
 * the workload, its ReplicaSets and its pods as the API returns them.
 */
import { labelSelectorString } from '../../../server/kube-model/label-selector.js';

export type RolloutState =
  | { phase: 'ready'; message: string }
  | { phase: 'progressing'; message: string }
  | { phase: 'failed'; reason: string; message: string; pod?: string };

type Json = Record<string, unknown>;

const FAILING_WAIT_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}
function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function nameOf(o: Json): string {
  return str(obj(o.metadata).name);
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Pod']);

/** Why a pod is not running as it should, or undefined when nothing is wrong (yet). */
export function podProblem(pod: Json): { reason: string; message: string } | undefined {
  const status = obj(pod.status);
  for (const c of arr(status.conditions)) {
    if (c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')
      return { reason: 'Unschedulable', message: str(c.message) || 'no node fits the pod' };
  }
  const statuses = [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)];
  for (const cs of statuses) {
    const waiting = obj(obj(cs.state).waiting);
    const reason = str(waiting.reason);
    if (FAILING_WAIT_REASONS.has(reason)) {
      const message = str(waiting.message);
      return { reason, message: `container ${str(cs.name)}: ${reason}${message ? `: ${message}` : ''}` };
    }
  }
  if (str(status.phase) === 'Failed')
    return { reason: str(status.reason) || 'Failed', message: str(status.message) || 'the pod failed' };
  return undefined;
}

/** A running container that is not ready while its pod has a readiness probe: the probe is failing. */
export function failingProbe(pod: Json): { reason: string; message: string } | undefined {
  const containers = arr(obj(pod.spec).containers);
  for (const cs of arr(obj(pod.status).containerStatuses)) {
    const spec = containers.find((c) => c.name === cs.name);
    if (!spec || spec.readinessProbe === undefined) continue;
    if (obj(cs.state).running !== undefined && cs.ready === false)
      return { reason: 'ReadinessProbeFailed', message: `container ${str(cs.name)}: the readiness probe is failing` };
  }
  return undefined;
}

function podReady(pod: Json): boolean {
  return arr(obj(pod.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

function firstProblem(pods: readonly Json[]): RolloutState | undefined {
  for (const pod of pods) {
    if (obj(pod.metadata).deletionTimestamp) continue;
    const problem = podProblem(pod);
    if (problem) return { phase: 'failed', ...problem, pod: nameOf(pod) };
  }
  return undefined;
}

/** The newest ReplicaSet of a Deployment (highest revision annotation). */
export function currentReplicaSet(replicaSets: readonly Json[]): Json | undefined {
  const revision = (rs: Json) =>
    Number(str(obj(obj(rs.metadata).annotations)['deployment.kubernetes.io/revision'])) || 0;
  return [...replicaSets].sort((a, b) => revision(b) - revision(a))[0];
}

export function deploymentRollout(dep: Json, replicaSets: readonly Json[], pods: readonly Json[]): RolloutState {
  const meta = obj(dep.metadata);
  const spec = obj(dep.spec);
  const status = obj(dep.status);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  for (const c of arr(status.conditions)) {
    if (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')
      return { phase: 'failed', reason: 'ProgressDeadlineExceeded', message: str(c.message) };
  }
  const observed = num(status.observedGeneration) >= num(meta.generation);
  const updated = num(status.updatedReplicas);
  const available = num(status.availableReplicas);
  const total = num(status.replicas);
  if (observed && updated >= want && available >= want && total <= want)
    return { phase: 'ready', message: `${available}/${want} ready` };
  const current = currentReplicaSet(replicaSets);
  const hash = str(obj(obj(current?.metadata).labels)['pod-template-hash']);
  const currentPods = hash ? pods.filter((p) => obj(obj(p.metadata).labels)['pod-template-hash'] === hash) : pods;
  const problem = firstProblem(currentPods);
  if (problem) return problem;
  return { phase: 'progressing', message: `${num(status.readyReplicas)}/${want} ready, ${updated} updated` };
}

export function replicaSetRollout(rs: Json, pods: readonly Json[]): RolloutState {
  const want = typeof obj(rs.spec).replicas === 'number' ? num(obj(rs.spec).replicas) : 1;
  const ready = num(obj(rs.status).readyReplicas);
  if (ready >= want) return { phase: 'ready', message: `${ready}/${want} ready` };
  return firstProblem(pods) ?? { phase: 'progressing', message: `${ready}/${want} ready` };
}

/** The pods a StatefulSet or DaemonSet is rolling out: those labelled with its update revision, if it names one. */
function podsAtRevision(pods: readonly Json[], revision: string): Json[] {
  if (revision === '') return [...pods];
  return pods.filter((p) => obj(obj(p.metadata).labels)['controller-revision-hash'] === revision);
}

function strategyOf(workload: Json): Json {
  return obj(obj(workload.spec).updateStrategy);
}

/**
 * As `kubectl rollout status sts` decides: the controller has seen this
 * generation, every replica is ready, and the pods from the partition up run
 * the update revision (without a partition: the current revision is the update
 * revision). OnDelete sets are ready once every replica is.
 */
export function statefulSetRollout(ss: Json, pods: readonly Json[]): RolloutState {
  const spec = obj(ss.spec);
  const status = obj(ss.status);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  const observed =
    num(status.observedGeneration) > 0 && num(status.observedGeneration) >= num(obj(ss.metadata).generation);
  const strategy = strategyOf(ss);
  const partition = obj(strategy.rollingUpdate).partition;
  let done = observed && ready >= want;
  if (done && strategy.type !== 'OnDelete') {
    done =
      typeof partition === 'number'
        ? updated >= want - partition
        : str(status.updateRevision) === str(status.currentRevision);
  }
  if (done) return { phase: 'ready', message: `${ready}/${want} ready` };
  return (
    firstProblem(podsAtRevision(pods, str(status.updateRevision))) ?? {
      phase: 'progressing',
      message: `${ready}/${want} ready, ${updated} updated`,
    }
  );
}

/** As `kubectl rollout status ds` decides: this generation seen, every node's pod updated and available. */
export function daemonSetRollout(ds: Json, pods: readonly Json[]): RolloutState {
  const status = obj(ds.status);
  const want = num(status.desiredNumberScheduled);
  const available = num(status.numberAvailable);
  const updated = num(status.updatedNumberScheduled);
  const observed =
    status.observedGeneration !== undefined && num(status.observedGeneration) >= num(obj(ds.metadata).generation);
  const rolling = strategyOf(ds).type !== 'OnDelete';
  if (observed && (!rolling || updated >= want) && available >= want)
    return { phase: 'ready', message: `${available}/${want} available` };
  return (
    firstProblem(pods) ?? {
      phase: 'progressing',
      message: `${available}/${want} available, ${updated} updated`,
    }
  );
}

/**
 * A Job is ready once Complete and failed once Failed (with its reason: BackoffLimitExceeded,
 * DeadlineExceeded). Failed pods and crash loops are retries the Job counts toward its backoffLimit, so
 * only problems no retry fixes (an image that cannot be pulled, no node that fits) fail it earlier.
 */
export function jobRollout(job: Json, pods: readonly Json[]): RolloutState {
  const status = obj(job.status);
  const conditions = arr(status.conditions);
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  const completions = typeof obj(job.spec).completions === 'number' ? num(obj(job.spec).completions) : 1;
  const succeeded = num(status.succeeded);
  if (holds('Complete')) return { phase: 'ready', message: `complete: ${succeeded}/${completions} succeeded` };
  const failed = holds('Failed');
  if (failed)
    return {
      phase: 'failed',
      reason: str(failed.reason) || 'Failed',
      message: str(failed.message) || 'the Job failed',
    };
  const lasting = pods.filter((p) => {
    const problem = str(obj(p.status).phase) !== 'Failed' ? podProblem(p) : undefined;
    return problem !== undefined && problem.reason !== 'CrashLoopBackOff';
  });
  const active = num(status.active);
  return (
    firstProblem(lasting) ?? {
      phase: 'progressing',
      message: `${succeeded}/${completions} succeeded, ${active} running${num(status.failed) > 0 ? `, ${num(status.failed)} failed` : ''}`,
    }
  );
}

export function podRollout(pod: Json): RolloutState {
  if (podReady(pod)) return { phase: 'ready', message: 'ready' };
  if (str(obj(pod.status).phase) === 'Succeeded') return { phase: 'ready', message: 'completed' };
  const problem = podProblem(pod);
  if (problem) return { phase: 'failed', ...problem, pod: nameOf(pod) };
  return { phase: 'progressing', message: str(obj(pod.status).phase) || 'Pending' };
}

/** The rollout state of any workload kind, given its ReplicaSets (Deployments only) and pods. */
export function rolloutState(workload: Json, replicaSets: readonly Json[], pods: readonly Json[]): RolloutState {
  switch (workload.kind) {
    case 'Deployment':
      return deploymentRollout(workload, replicaSets, pods);
    case 'ReplicaSet':
      return replicaSetRollout(workload, pods);
    case 'StatefulSet':
      return statefulSetRollout(workload, pods);
    case 'DaemonSet':
      return daemonSetRollout(workload, pods);
    case 'Job':
      return jobRollout(workload, pods);
    default:
      return podRollout(workload);
  }
}

/** `app=web,tier in (front)` from a workload's selector, in the string form list and watch take. */
export function labelSelectorOf(workload: Json): string {
  return labelSelectorString(obj(workload.spec).selector);
}
