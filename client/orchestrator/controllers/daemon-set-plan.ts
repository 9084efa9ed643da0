/**
 * What a DaemonSet's sync does, worked out from each node's state: the pods to
 * create and delete so each node that should run one has exactly one (manage),
 * the next step of a rolling update (maxUnavailable, or maxSurge: the new pod
 * first and the old one removed once the new one is available), and the
 * status counts. Pure: the controller writes what these return.
 */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { numberOr } from '../machinery/controller-context';
import { REVISION_LABEL } from './controller-history';
import { byAge } from './daemon-set-pods';
import { isPodAvailable, isPodReady, podPhase } from '../machinery/pod-state';

export interface NodeState {
  node: string;
  shouldRun: boolean;
  shouldContinue: boolean;
  /** The daemon pods for this node, terminating ones included. */
  pods: Stored[];
}

export interface Plan {
  /** Nodes that get a new pod. */
  create: string[];
  delete: Stored[];
  /** Failed pods among `delete`. */
  failed: Stored[];
}

const live = (pods: readonly Stored[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const hashOf = (pod: Stored) => pod.metadata.labels?.[REVISION_LABEL] ?? '';

export function rollingParams(ds: Stored, desired: number): { maxSurge: number; maxUnavailable: number } {
  const spec = isObject(ds.spec) ? ds.spec : {};
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const scaled = (value: unknown, fallback: number) => {
    if (typeof value === 'number') return value;
    const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
    return m ? Math.ceil((Number(m[1]) * desired) / 100) : fallback;
  };
  const maxSurge = scaled(rolling.maxSurge, 0);
  const maxUnavailable = scaled(rolling.maxUnavailable, 1);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

/** One pod on every node that should run it, none where it may not stay; failed pods go (and come back). */
export function manage(states: readonly NodeState[], hash: string, surge: boolean): Plan {
  const plan: Plan = { create: [], delete: [], failed: [] };
  for (const state of states) {
    if (state.shouldRun) {
      if (state.pods.length === 0) {
        plan.create.push(state.node);
        continue;
      }
      const running: Stored[] = [];
      for (const pod of live(state.pods)) {
        if (podPhase(pod) === 'Failed') plan.failed.push(pod);
        else running.push(pod);
      }
      running.sort(byAge);
      if (surge) {
        // While surging a node keeps its oldest new pod and its oldest old one.
        const newest = running.find((p) => hashOf(p) === hash);
        const oldest = running.find((p) => hashOf(p) !== hash);
        plan.delete.push(...running.filter((p) => p !== newest && p !== oldest));
      } else plan.delete.push(...running.slice(1));
    } else if (!state.shouldContinue) plan.delete.push(...live(state.pods));
  }
  plan.delete.push(...plan.failed);
  return plan;
}

interface NodePods {
  node: string;
  fresh?: Stored;
  old?: Stored;
}

/** Nodes that should run the pod, with their one new and one old pod (nodes with more are left to `manage`). */
function nodePods(states: readonly NodeState[], hash: string): NodePods[] {
  const out: NodePods[] = [];
  for (const state of states) {
    if (!state.shouldRun) continue;
    const pods = live(state.pods);
    const fresh = pods.filter((p) => hashOf(p) === hash);
    const old = pods.filter((p) => hashOf(p) !== hash);
    if (fresh.length > 1 || old.length > 1) continue;
    out.push({ node: state.node, ...(fresh[0] ? { fresh: fresh[0] } : {}), ...(old[0] ? { old: old[0] } : {}) });
  }
  return out.sort((a, b) => (a.node < b.node ? -1 : 1));
}

export function rollingUpdate(
  states: readonly NodeState[],
  hash: string,
  params: { maxSurge: number; maxUnavailable: number },
  available: (pod: Stored) => boolean,
): Plan {
  const plan: Plan = { create: [], delete: [], failed: [] };
  const nodes = nodePods(states, hash);
  if (params.maxSurge > 0) {
    let surging = 0;
    const candidates: string[] = [];
    for (const { node, fresh, old } of nodes) {
      if (!old) continue;
      if (!fresh) {
        if (!available(old)) plan.create.push(node);
        else if (surging + candidates.length < params.maxSurge) candidates.push(node);
      } else if (!available(fresh)) surging++;
      else plan.delete.push(old);
    }
    plan.create.push(...candidates.slice(0, Math.max(0, params.maxSurge - surging)));
    return plan;
  }
  let unavailable = 0;
  const candidates: Stored[] = [];
  for (const { fresh, old } of nodes) {
    if (!fresh === !old) unavailable++;
    else if (fresh) {
      if (!available(fresh)) unavailable++;
    } else if (old && !available(old)) plan.delete.push(old);
    else if (old) candidates.push(old);
  }
  plan.delete.push(...candidates.slice(0, Math.max(0, params.maxUnavailable - unavailable)));
  return plan;
}

export function daemonSetStatus(ds: Stored, states: readonly NodeState[], hash: string, now: number): JsonObject {
  const minReady = numberOr(isObject(ds.spec) ? ds.spec.minReadySeconds : undefined, 0);
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const state of states) {
    const pods = state.pods
      .filter((p) => !(p.metadata.deletionTimestamp && ['Failed', 'Succeeded'].includes(podPhase(p))))
      .sort(byAge);
    const first = pods[0];
    if (!state.shouldRun) {
      if (first) misscheduled++;
      continue;
    }
    desired++;
    if (!first) continue;
    current++;
    if (isPodReady(first)) {
      ready++;
      if (isPodAvailable(first, minReady, now)) available++;
    }
    if (hashOf(first) === hash) updated++;
  }
  return {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    ...(desired - available > 0 ? { numberUnavailable: desired - available } : {}),
  };
}
