/**
 * The status a kubelet reports for a pod, computed from what it knows of the
 * pod's containers: phase (kubelet's rules), the PodReadyToStartContainers,
 * Initialized, ContainersReady and Ready conditions, container statuses, IPs
 * and start time. While the runtime is unreachable, what waits for it says so.
 */
import { rfc3339 } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import { withConditions, type Condition } from '../machinery/pod-conditions';
import { RestartBackoff } from './restart-backoff';
import type { ContainerStatus } from './runtime';

export interface ContainerRecord {
  name: string;
  image: string;
  id?: string;
  /** The current instance as the runtime last reported it. */
  status?: ContainerStatus | undefined;
  /** The previous instance's end, for `lastState` and `logs --previous`. */
  last?: ContainerStatus;
  previousId?: string;
  restartCount: number;
  /** Why it is not running, when the kubelet knows (CrashLoopBackOff, ErrImagePull...). */
  waiting?: { reason: string; message?: string };
  backoff: RestartBackoff;
  ready: boolean;
  started: boolean;
}

/** The record of a container (app, init or ephemeral) the kubelet has not started yet. */
export function newContainerRecord(c: JsonObject): ContainerRecord {
  return {
    name: String(c.name),
    image: typeof c.image === 'string' ? c.image : '',
    restartCount: 0,
    backoff: new RestartBackoff(),
    ready: false,
    started: false,
  };
}

export interface PodRecord {
  key: string;
  uid: string;
  sandboxId?: string;
  ip?: string;
  startTime: number;
  init: ContainerRecord[];
  containers: ContainerRecord[];
  /** Debug containers added through `pods/ephemeralcontainers`: started once, never restarted. */
  ephemeral?: ContainerRecord[];
  initDone: boolean;
  /** An init container failed under restartPolicy Never. */
  initFailed: boolean;
  /** Why the container runtime cannot be reached, while it cannot. */
  runtimeDown?: string;
  /** The next wait before trying again while the runtime is down (doubles). */
  runtimeRetryMs?: number;
  /** The pod finished: its sandbox is stopped and kept, with the containers and their logs, until the pod is deleted. */
  finished?: boolean;
}

/** The message pods show while the container runtime does not answer. */
export function runtimeDownMessage(why: string): string {
  const sentence = /[.!?]$/.test(why.trim()) ? why.trim() : `${why.trim()}.`;
  return `container runtime is down: ${sentence} The pod starts when it answers again.`;
}

function terminated(s: ContainerStatus, scheme: string): JsonObject {
  return {
    terminated: {
      exitCode: s.exitCode ?? 0,
      reason: s.reason ?? (s.exitCode === 0 ? 'Completed' : 'Error'),
      ...(s.message ? { message: s.message } : {}),
      ...(s.startedAt !== undefined ? { startedAt: rfc3339(s.startedAt) } : {}),
      finishedAt: rfc3339(s.finishedAt ?? s.createdAt),
      containerID: `${scheme}://${s.id}`,
    },
  };
}

function containerStatus(
  r: ContainerRecord,
  scheme: string,
  pendingReason: string,
  pendingMessage?: string,
): JsonObject {
  const s = r.status;
  let state: JsonObject;
  if (s?.state === 'running') state = { running: { startedAt: rfc3339(s.startedAt ?? s.createdAt) } };
  else if (r.waiting)
    state = { waiting: { reason: r.waiting.reason, ...(r.waiting.message ? { message: r.waiting.message } : {}) } };
  else if (s?.state === 'exited') state = terminated(s, scheme);
  else state = { waiting: { reason: pendingReason, ...(pendingMessage ? { message: pendingMessage } : {}) } };
  return {
    name: r.name,
    state,
    lastState: r.last ? terminated(r.last, scheme) : {},
    ready: r.ready,
    restartCount: r.restartCount,
    image: r.image,
    imageID: s?.imageRef ?? '',
    ...(s ? { containerID: `${scheme}://${s.id}` } : {}),
    started: s?.state === 'running' && r.started,
  };
}

/** The kubelet's phase rules, given each app container's state and the restart policy. */
export function podPhase(rec: PodRecord, restartPolicy: string): string {
  if (rec.initFailed) return 'Failed';
  if (!rec.initDone) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const r of rec.containers) {
    const s = r.status;
    if (s?.state === 'running') running++;
    else if (r.waiting || !s || s.state !== 'exited') {
      if (r.last) stopped++;
      else waiting++;
    } else {
      stopped++;
      if (s.exitCode === 0) succeeded++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (restartPolicy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

export interface StatusInput {
  rec: PodRecord;
  old: JsonObject;
  restartPolicy: string;
  hostIP: string;
  scheme: string;
  now: number;
}

/** The kubelet's order of a pod's conditions (others first, in their order). */
const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
const conditionRank = (c: JsonObject): number => CONDITION_ORDER.indexOf(String(c.type));

/**
 * Sorts a few conditions in place by `CONDITION_ORDER`, equal ranks kept in their order (as the stable
 * `Array.prototype.sort` does, without the copy it makes of the list: once per status write).
 */
function sortConditions(list: JsonObject[]): void {
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    const rank = conditionRank(item);
    let j = i;
    for (; j > 0 && conditionRank(list[j - 1]!) > rank; j--) list[j] = list[j - 1]!;
    list[j] = item;
  }
}

export function buildPodStatus({ rec, old, restartPolicy, hostIP, scheme, now }: StatusInput): JsonObject {
  const at = rfc3339(now);
  const phase = podPhase(rec, restartPolicy);
  const unready = rec.containers.filter((c) => !c.ready).map((c) => c.name);
  const initPending = rec.init
    .filter((c) => !(c.status?.state === 'exited' && c.status.exitCode === 0))
    .map((c) => c.name);
  const status: JsonObject = { ...old, phase };
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const cond = (type: string, ok: boolean, reason: string, message: string): Condition => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(ok ? {} : { reason, message }),
  });
  const down = rec.runtimeDown !== undefined ? runtimeDownMessage(rec.runtimeDown) : undefined;
  const ready = !terminal && rec.initDone && unready.length === 0;
  const why = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const unreadyMessage = terminal ? '' : `containers with unready status: [${unready.join(' ')}]`;
  // One copy of the conditions for the four the kubelet owns (a copy of the whole status each was 0.6 % of the churn).
  status.conditions = withConditions(status, [
    {
      type: 'PodReadyToStartContainers',
      status: rec.sandboxId ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: at,
      ...(!rec.sandboxId && down ? { reason: 'ContainerRuntimeUnreachable', message: down } : {}),
    },
    cond(
      'Initialized',
      rec.initDone,
      'ContainersNotInitialized',
      `containers with incomplete status: [${initPending.join(' ')}]`,
    ),
    cond('ContainersReady', ready, why, unreadyMessage),
    cond('Ready', ready, why, unreadyMessage),
  ]);
  if (terminal) {
    for (const c of status.conditions as JsonObject[]) if (c.message === '') delete c.message;
  }
  sortConditions(status.conditions as JsonObject[]);
  status.hostIP = hostIP;
  status.hostIPs = [{ ip: hostIP }];
  if (rec.ip) {
    status.podIP = rec.ip;
    status.podIPs = [{ ip: rec.ip }];
  }
  status.startTime = isObject(old) && typeof old.startTime === 'string' ? old.startTime : rfc3339(rec.startTime);
  if (rec.init.length > 0)
    status.initContainerStatuses = rec.init.map((c) => containerStatus(c, scheme, 'PodInitializing', down));
  status.containerStatuses = rec.containers.map((c) =>
    containerStatus(c, scheme, rec.initDone ? 'ContainerCreating' : 'PodInitializing', down),
  );
  if (rec.ephemeral && rec.ephemeral.length > 0) {
    status.ephemeralContainerStatuses = rec.ephemeral.map((c) => {
      const { started: _started, ...rest } = containerStatus(c, scheme, 'ContainerCreating', down);
      return rest;
    });
  }
  return status;
}
