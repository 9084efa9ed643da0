/** What a pod asks of a node: cpu and memory requests, host ports, and its workload for spreading. */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { containerRequests, podSpecRequests } from '../../../server/kube-model/pod-requests';
import { bytes, milliCpu } from '../../../server/kube-model/quantity';

export interface HostPort {
  port: number;
  protocol: string;
  ip: string;
}

export interface PodRequests {
  milliCpu: number;
  memory: number;
  /** With Kubernetes' defaults for containers that request nothing (100m, 200MB): used for scoring only. */
  scoreMilliCpu: number;
  scoreMemory: number;
  hostPorts: HostPort[];
  /** The uid of the pod's controller, or '' (spreading counts pods of the same workload). */
  owner: string;
}

const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

const NONE: readonly unknown[] = [];

/** `spec[key]` when it is a list (its items read where they are objects): no filtered copy, per pod and container. */
function items(spec: JsonObject, key: string): readonly unknown[] {
  const value = spec[key];
  return Array.isArray(value) ? value : NONE;
}

/** Sum over containers, but at least the largest init container (they run one at a time before the others). */
export function podRequests(pod: Stored): PodRequests {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const { milliCpu: cpu, memory } = podSpecRequests(spec);
  let scoreCpu = 0;
  let scoreMemory = 0;
  const hostPorts: HostPort[] = [];
  for (const c of items(spec, 'containers')) {
    if (!isObject(c)) continue;
    const r = containerRequests(c);
    scoreCpu += r.cpu === undefined ? DEFAULT_MILLI_CPU : milliCpu(r.cpu);
    scoreMemory += r.memory === undefined ? DEFAULT_MEMORY : bytes(r.memory);
    for (const p of items(c, 'ports')) {
      if (isObject(p) && typeof p.hostPort === 'number' && p.hostPort > 0) {
        hostPorts.push({
          port: p.hostPort,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
          ip: typeof p.hostIP === 'string' ? p.hostIP : '',
        });
      }
    }
  }
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid ?? '';
  return { milliCpu: cpu, memory, scoreMilliCpu: scoreCpu, scoreMemory, hostPorts, owner };
}

export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  const wild = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
  return wild(a.ip) || wild(b.ip) || a.ip === b.ip;
}
