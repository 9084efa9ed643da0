/**
 * The node autoscaler's decisions, as plain functions: what a pod requests,
 * which pending pods a new node from the template would take (first fit),
 * a node's utilization (the larger of its cpu and memory requests over
 * allocatable, as cluster-autoscaler), and whether a node's pods can move.
 */
import { staysOnDrain } from '../../../server/kube-model/drain-pods';
import { podSpecRequests } from '../../../server/kube-model/pod-requests';
import { bytes, milliCpu } from '../../../server/kube-model/quantity';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';

export interface Amount {
  milliCpu: number;
  memory: number;
}

/** cpu and memory requests, counted as the scheduler counts them (kube-model's podSpecRequests). */
export function podRequest(pod: Stored): Amount {
  return podSpecRequests(pod.spec);
}

export function allocatableOf(node: Stored): Amount {
  const status = isObject(node.status) ? node.status : {};
  const alloc = isObject(status.allocatable) ? status.allocatable : isObject(status.capacity) ? status.capacity : {};
  return { milliCpu: milliCpu(alloc.cpu), memory: bytes(alloc.memory) };
}

const fits = (need: Amount, free: Amount) => need.milliCpu <= free.milliCpu && need.memory <= free.memory;
const minus = (a: Amount, b: Amount): Amount => ({ milliCpu: a.milliCpu - b.milliCpu, memory: a.memory - b.memory });

/**
 * New nodes of `template` size for `pods`, first fit in the given order: how
 * many, and which pods they take. Pods bigger than an empty template node are
 * in `tooBig`.
 */
export function packOntoNewNodes(
  pods: readonly Stored[],
  template: Amount,
): { nodes: number; placed: Stored[]; tooBig: Stored[] } {
  const bins: Amount[] = [];
  const placed: Stored[] = [];
  const tooBig: Stored[] = [];
  for (const pod of pods) {
    const need = podRequest(pod);
    if (!fits(need, template)) {
      tooBig.push(pod);
      continue;
    }
    let i = bins.findIndex((free) => fits(need, free));
    if (i === -1) i = bins.push({ ...template }) - 1;
    bins[i] = minus(bins[i]!, need);
    placed.push(pod);
  }
  return { nodes: bins.length, placed, tooBig };
}

/** The larger of cpu and memory requests over allocatable (0 with nothing allocatable). */
export function utilization(pods: readonly Stored[], allocatable: Amount): number {
  let cpu = 0;
  let memory = 0;
  for (const pod of pods) {
    const r = podRequest(pod);
    cpu += r.milliCpu;
    memory += r.memory;
  }
  const ratio = (used: number, total: number) => (total > 0 ? used / total : 0);
  return Math.max(ratio(cpu, allocatable.milliCpu), ratio(memory, allocatable.memory));
}

/** Whether every pod fits on the other nodes' free room, first fit (the nodes' free amounts are not changed). */
export function fitElsewhere(pods: readonly Stored[], free: readonly Amount[]): boolean {
  const room = free.map((f) => ({ ...f }));
  for (const pod of pods) {
    const need = podRequest(pod);
    const i = room.findIndex((f) => fits(need, f));
    if (i === -1) return false;
    room[i] = minus(room[i]!, need);
  }
  return true;
}

/**
 * Why a pod keeps its node from being removed, as cluster-autoscaler's drain
 * rules say, or undefined when it can move (DaemonSet and mirror pods stay and
 * do not block).
 */
export function blocksRemoval(pod: Stored, o: { skipLocalStorage: boolean }): string | undefined {
  if (staysOnDrain(pod)) return undefined;
  const name = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  if (!pod.metadata.ownerReferences?.some((r) => r.controller === true)) return `${name} is not replicated`;
  const spec = isObject(pod.spec) ? pod.spec : {};
  const volumes = Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : [];
  if (o.skipLocalStorage && volumes.some((v) => v.emptyDir !== undefined || v.hostPath !== undefined))
    return `${name} has local storage`;
  return undefined;
}
