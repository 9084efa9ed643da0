/** A pod's usage next to what its containers request: `cpu 12m/100m, memory 30Mi/64Mi` (no `/…` without a request). */
import { bytes, milliCpu } from '../../../server/kube-model/quantity.js';
import { arr, obj } from '../kube/json-fields.js';
import type { KubeObject } from '../kube/kube-object.js';
import { cpuText, memoryText } from './node-summary.js';

export function podUsageText(pod: KubeObject, usage: { cpu: number; memory: number } | undefined): string {
  if (!usage) return '';
  let cpu = 0;
  let memory = 0;
  for (const c of arr(obj(pod.spec).containers)) {
    const requests = obj(obj(c.resources).requests);
    cpu += milliCpu(requests.cpu);
    memory += bytes(requests.memory);
  }
  return `cpu ${cpuText(usage.cpu)}${cpu > 0 ? `/${cpuText(cpu)}` : ''}, memory ${memoryText(usage.memory)}${memory > 0 ? `/${memoryText(memory)}` : ''}`;
}
