/**
 * A Deployment's status from its ReplicaSets, and the Progressing and
 * Available conditions with the reasons `kubectl rollout status` reads.
 */
import { rfc3339 } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { numberOr } from '../machinery/controller-context';
import { availableOf, replicasOf, specOf, statusOf, surgeAndUnavailable } from './deployment-util';

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export function conditionsOf(status: JsonObject): DeploymentCondition[] {
  return Array.isArray(status.conditions)
    ? (status.conditions.filter(isObject) as unknown as DeploymentCondition[])
    : [];
}

export function condition(status: JsonObject, type: string): DeploymentCondition | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

/** Sets a condition; lastUpdateTime moves when it changes (or `touch`), lastTransitionTime when its status does. */
export function withCondition(
  status: JsonObject,
  c: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>,
  now: number,
  touch = false,
): JsonObject {
  const list = conditionsOf(status);
  const old = list.find((x) => x.type === c.type);
  const at = rfc3339(now);
  const same = old && old.status === c.status && old.reason === c.reason && old.message === c.message;
  const next: DeploymentCondition = {
    ...c,
    lastUpdateTime: same && !touch ? old.lastUpdateTime : at,
    lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : at,
  };
  const conditions = old ? list.map((x) => (x === old ? next : x)) : [...list, next];
  return { ...status, conditions };
}

export function countsFor(deploy: Stored, newRS: Stored | undefined, all: readonly Stored[]): JsonObject {
  const sum = (f: (rs: Stored) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const available = sum(availableOf);
  return {
    observedGeneration: deploy.metadata.generation ?? 1,
    replicas: sum((rs) => numberOr(statusOf(rs).replicas, 0)),
    updatedReplicas: newRS ? numberOr(statusOf(newRS).replicas, 0) : 0,
    readyReplicas: sum((rs) => numberOr(statusOf(rs).readyReplicas, 0)),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicasOf(deploy) - available),
  };
}

export function isComplete(deploy: Stored, counts: JsonObject): boolean {
  const want = replicasOf(deploy);
  return counts.updatedReplicas === want && counts.replicas === want && counts.availableReplicas === want;
}

/** The whole new status: counts, Available, and Progressing (created / updated / available / deadline exceeded / paused). */
export function nextStatus(
  deploy: Stored,
  newRS: Stored | undefined,
  all: readonly Stored[],
  now: number,
  event: 'created' | 'none',
): { status: JsonObject; recheckInMs?: number } {
  const old = statusOf(deploy);
  const counts = countsFor(deploy, newRS, all);
  let status: JsonObject = { ...counts, ...(Array.isArray(old.conditions) ? { conditions: old.conditions } : {}) };
  if (typeof old.collisionCount === 'number') status.collisionCount = old.collisionCount;
  const [, maxUnavailable] = surgeAndUnavailable(deploy);
  const minAvailable = replicasOf(deploy) - maxUnavailable;
  status =
    (counts.availableReplicas as number) >= minAvailable
      ? withCondition(
          status,
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          now,
        )
      : withCondition(
          status,
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          now,
        );
  const spec = specOf(deploy);
  const rsName = newRS?.metadata.name ?? '';
  const progressing = condition(old, 'Progressing');
  if (spec.paused === true) {
    status = withCondition(
      status,
      { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' },
      now,
    );
    return { status };
  }
  if (progressing?.reason === 'DeploymentPaused') {
    status = withCondition(
      status,
      { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' },
      now,
    );
  }
  const deadline = typeof spec.progressDeadlineSeconds === 'number' ? spec.progressDeadlineSeconds : 600;
  if (event === 'created') {
    return {
      status: withCondition(
        status,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "${rsName}"`,
        },
        now,
        true,
      ),
      recheckInMs: deadline * 1000,
    };
  }
  if (isComplete(deploy, counts)) {
    return {
      status: withCondition(
        status,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
        now,
      ),
    };
  }
  const madeProgress =
    (counts.updatedReplicas as number) > numberOr(old.updatedReplicas, 0) ||
    (counts.readyReplicas as number) > numberOr(old.readyReplicas, 0) ||
    (counts.availableReplicas as number) > numberOr(old.availableReplicas, 0) ||
    (counts.replicas as number) - (counts.updatedReplicas as number) <
      numberOr(old.replicas, 0) - numberOr(old.updatedReplicas, 0);
  const current = condition(status, 'Progressing');
  if (
    madeProgress ||
    !current ||
    current.reason === 'NewReplicaSetAvailable' ||
    current.reason === 'DeploymentResumed'
  ) {
    const reason = current?.reason === 'ProgressDeadlineExceeded' && !madeProgress ? undefined : 'ReplicaSetUpdated';
    if (reason) {
      status = withCondition(
        status,
        { type: 'Progressing', status: 'True', reason, message: `ReplicaSet "${rsName}" is progressing.` },
        now,
        true,
      );
      return { status, recheckInMs: deadline * 1000 };
    }
  }
  const last = condition(status, 'Progressing');
  if (last && last.status === 'True') {
    const due = Date.parse(last.lastUpdateTime) + deadline * 1000;
    if (now >= due) {
      status = withCondition(
        status,
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        },
        now,
      );
      return { status };
    }
    return { status, recheckInMs: due - now + 1000 };
  }
  return { status };
}
