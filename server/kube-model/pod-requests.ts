/**
 * What a pod asks of a node, as the scheduler counts it: the sum of its
 * containers' cpu and memory requests (a container's limits stand in for
 * requests it leaves out, as Kubernetes defaults them), and at least the
 * largest init container's (they run one at a time, before the others).
 */
import { bytes, milliCpu } from './quantity';

export interface ResourceAmount {
  milliCpu: number;
  /** Bytes. */
  memory: number;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (spec: Json, key: string): Json[] => (Array.isArray(spec[key]) ? spec[key].filter(isJson) : []);

/** A container's requests, or its limits when it names no requests. */
export function containerRequests(container: Json): Json {
  const resources = isJson(container.resources) ? container.resources : {};
  return isJson(resources.requests) ? resources.requests : isJson(resources.limits) ? resources.limits : {};
}

/** The cpu and memory a pod spec requests. */
export function podSpecRequests(spec: unknown): ResourceAmount {
  const s = isJson(spec) ? spec : {};
  let cpu = 0;
  let memory = 0;
  for (const c of list(s, 'containers')) {
    const r = containerRequests(c);
    cpu += milliCpu(r.cpu);
    memory += bytes(r.memory);
  }
  for (const c of list(s, 'initContainers')) {
    const r = containerRequests(c);
    cpu = Math.max(cpu, milliCpu(r.cpu));
    memory = Math.max(memory, bytes(r.memory));
  }
  return { milliCpu: cpu, memory };
}
