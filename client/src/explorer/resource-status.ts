/** One-line statuses for the tree, as kubectl shows them: Running 2/2, CrashLoopBackOff, Pending: Insufficient cpu. */
import type { KubeObject } from '../kube/kube-object.js';
import { obj, arr, str, num } from '../kube/json-fields.js';

export type Health = 'ok' | 'progress' | 'warning' | 'error' | 'none';

export interface StatusText {
  text: string;
  health: Health;
}

export function podStatus(pod: KubeObject): StatusText {
  const status = obj(pod.status);
  const statuses = arr(status.containerStatuses);
  const total = arr(obj(pod.spec).containers).length || statuses.length;
  const ready = statuses.filter((c) => c.ready === true).length;
  if (obj(pod.metadata).deletionTimestamp) return { text: 'Terminating', health: 'progress' };
  for (const c of [...arr(status.initContainerStatuses), ...statuses]) {
    const waiting = str(obj(obj(c.state).waiting).reason);
    if (waiting && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing')
      return { text: waiting, health: 'error' };
    const terminated = obj(obj(c.state).terminated);
    if (str(terminated.reason) && str(status.phase) === 'Running')
      return { text: str(terminated.reason), health: 'error' };
  }
  const phase = str(status.phase) || 'Pending';
  if (phase === 'Pending') {
    const unschedulable = arr(status.conditions).find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
    if (unschedulable) return { text: `Pending: ${shortReason(str(unschedulable.message))}`, health: 'error' };
    return { text: 'Pending', health: 'progress' };
  }
  if (phase === 'Running') return { text: `Running ${ready}/${total}`, health: ready === total ? 'ok' : 'warning' };
  if (phase === 'Succeeded') return { text: 'Completed', health: 'none' };
  return { text: phase, health: phase === 'Failed' ? 'error' : 'warning' };
}

/** `0/1 nodes are available: 1 Insufficient cpu.` → `Insufficient cpu`. */
export function shortReason(message: string): string {
  const m = /\d+ ([^,.]+)/.exec(message.split(':').slice(1).join(':'));
  return m?.[1]?.trim() ?? (message || 'Unschedulable');
}

export function workloadStatus(o: KubeObject): StatusText {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const ready = num(status.readyReplicas);
  const failed = arr(status.conditions).some(
    (c) => c.reason === 'ProgressDeadlineExceeded' || c.type === 'ReplicaFailure',
  );
  return { text: `${ready}/${want} ready`, health: failed ? 'error' : ready >= want ? 'ok' : 'progress' };
}

/** A DaemonSet: `2/3 ready` over the nodes that should run it. */
export function daemonSetStatus(o: KubeObject): StatusText {
  const status = obj(o.status);
  const want = num(status.desiredNumberScheduled);
  const ready = num(status.numberReady);
  return { text: `${ready}/${want} ready`, health: ready >= want ? 'ok' : 'progress' };
}

/** A Job: `Complete 3/3`, `Failed: BackoffLimitExceeded`, `Running 1/3`, `Suspended`. */
export function jobStatus(o: KubeObject): StatusText {
  const status = obj(o.status);
  const spec = obj(o.spec);
  const conditions = arr(status.conditions).filter((c) => c.status === 'True');
  const completions = typeof spec.completions === 'number' ? spec.completions : 1;
  const done = `${num(status.succeeded)}/${completions}`;
  const failed = conditions.find((c) => c.type === 'Failed');
  if (failed) return { text: `Failed: ${str(failed.reason)}`, health: 'error' };
  if (conditions.some((c) => c.type === 'Complete')) return { text: `Complete ${done}`, health: 'ok' };
  if (conditions.some((c) => c.type === 'Suspended')) return { text: 'Suspended', health: 'none' };
  const failures = num(status.failed);
  return {
    text: `Running ${done}${failures > 0 ? `, ${failures} failed` : ''}`,
    health: failures > 0 ? 'warning' : 'progress',
  };
}

/** A CronJob: its schedule, `suspended`, and how many of its Jobs run. */
export function cronJobStatus(o: KubeObject): StatusText {
  const spec = obj(o.spec);
  const active = arr(obj(o.status).active).length;
  const text = `${str(spec.schedule)}${spec.suspend === true ? ', suspended' : ''}${active > 0 ? `, ${active} active` : ''}`;
  return { text, health: 'none' };
}

export function containerStatus(pod: KubeObject, name: string): StatusText {
  const c = arr(obj(pod.status).containerStatuses).find((s) => s.name === name);
  if (!c) return { text: 'waiting', health: 'progress' };
  const state = obj(c.state);
  if (state.running !== undefined) {
    const restarts = num(c.restartCount);
    return {
      text: `running${restarts > 0 ? `, ${restarts} restarts` : ''}`,
      health: c.ready === true ? 'ok' : 'warning',
    };
  }
  const waiting = str(obj(state.waiting).reason);
  if (waiting) return { text: waiting, health: waiting === 'ContainerCreating' ? 'progress' : 'error' };
  const terminated = obj(state.terminated);
  return { text: `terminated: ${str(terminated.reason) || `exit ${num(terminated.exitCode)}`}`, health: 'warning' };
}

/** Ready addresses of an Endpoints object: `ready endpoints 3/3`. */
export function endpointsStatus(endpoints: KubeObject | undefined): StatusText {
  let ready = 0;
  let notReady = 0;
  for (const subset of arr(endpoints?.subsets)) {
    ready += arr(subset.addresses).length;
    notReady += arr(subset.notReadyAddresses).length;
  }
  const total = ready + notReady;
  return {
    text: `ready endpoints ${ready}/${total}`,
    health: total === 0 ? 'warning' : ready === total ? 'ok' : 'progress',
  };
}

export function pvcStatus(pvc: KubeObject): StatusText {
  const phase = str(obj(pvc.status).phase) || 'Pending';
  return { text: phase, health: phase === 'Bound' ? 'ok' : 'progress' };
}
