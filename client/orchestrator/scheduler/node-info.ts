/**
 * The scheduler's view of each node: what it offers (allocatable) and what
 * the pods bound or assumed to it already take. Kept current from the pod
 * and node informers; an assumed pod counts before its binding is stored.
 */
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { podRequests, type PodRequests } from './pod-requests';
import { bytes, milliCpu, parseQuantity } from '../../../server/kube-model/quantity';

export class NodeInfo {
  milliCpu = 0;
  memory = 0;
  scoreMilliCpu = 0;
  scoreMemory = 0;
  pods = 0;
  readonly podsByOwner = new Map<string, number>();
  readonly hostPorts = new Map<string, PodRequests['hostPorts']>();
  allocatable = { milliCpu: 0, memory: 0, pods: 0 };

  constructor(public node: Stored) {
    this.setNode(node);
  }

  setNode(node: Stored): void {
    this.node = node;
    const status = isObject(node.status) ? node.status : {};
    const alloc = isObject(status.allocatable) ? status.allocatable : isObject(status.capacity) ? status.capacity : {};
    const pods = parseQuantity(alloc.pods);
    this.allocatable = {
      milliCpu: milliCpu(alloc.cpu),
      memory: bytes(alloc.memory),
      pods: Number.isNaN(pods) ? 110 : pods,
    };
  }

  add(key: string, r: PodRequests, sign: 1 | -1): void {
    this.milliCpu += sign * r.milliCpu;
    this.memory += sign * r.memory;
    this.scoreMilliCpu += sign * r.scoreMilliCpu;
    this.scoreMemory += sign * r.scoreMemory;
    this.pods += sign;
    if (r.owner !== '') {
      const n = (this.podsByOwner.get(r.owner) ?? 0) + sign;
      if (n <= 0) this.podsByOwner.delete(r.owner);
      else this.podsByOwner.set(r.owner, n);
    }
    if (r.hostPorts.length > 0) {
      if (sign > 0) this.hostPorts.set(key, r.hostPorts);
      else this.hostPorts.delete(key);
    }
  }
}

/** Every node's NodeInfo and which node each counted pod is on. */
export class ClusterState {
  readonly nodes = new Map<string, NodeInfo>();
  private readonly placed = new Map<string, { node: string; requests: PodRequests }>();

  setNode(node: Stored): void {
    const name = node.metadata.name ?? '';
    const info = this.nodes.get(name);
    if (info) {
      info.setNode(node);
      return;
    }
    const fresh = new NodeInfo(node);
    this.nodes.set(name, fresh);
    for (const [key, p] of this.placed) if (p.node === name) fresh.add(key, p.requests, 1);
  }

  removeNode(name: string): void {
    this.nodes.delete(name);
  }

  /** Counts the pod on `node` (or uncounts it with node ''), replacing what was counted for it before. */
  place(key: string, node: string, pod: Stored | undefined): void {
    const before = this.placed.get(key);
    // Still on the same node (a status write, a label): counted as it was, its requests kept.
    if (before && before.node === node && pod) return;
    if (before) {
      this.nodes.get(before.node)?.add(key, before.requests, -1);
      this.placed.delete(key);
    }
    if (node === '' || !pod) return;
    const requests = podRequests(pod);
    this.placed.set(key, { node, requests });
    this.nodes.get(node)?.add(key, requests, 1);
  }

  nodeOf(key: string): string | undefined {
    return this.placed.get(key)?.node;
  }
}
