/**
 * The scheduler's filters, in kube-scheduler's order: NodeUnschedulable,
 * NodeName, TaintToleration, NodeAffinity (nodeSelector and required terms),
 * NodePorts, NodeResourcesFit. Each returns why the node does not fit, or
 * nothing; the reasons are kube-scheduler's own words.
 */
import { nodeAffinityFits, taintsOf, tolerates } from '../machinery/node-fit';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { NodeInfo } from './node-info';
import { portsConflict, type PodRequests } from './pod-requests';

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Every reason the node is rejected for this pod (empty when it fits). */
export function filterNode(pod: Stored, requests: PodRequests, info: NodeInfo): readonly string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const node = info.node;
  const nodeSpec = isObject(node.spec) ? node.spec : {};
  const taints = taintsOf(node);
  // Read only where a node asks for them: the loop runs for every node and every pod.
  const tolerations = nodeSpec.unschedulable === true || taints.length > 0 ? list(spec.tolerations) : [];
  if (
    nodeSpec.unschedulable === true &&
    !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return ['node(s) were unschedulable'];
  }
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && spec.nodeName !== node.metadata.name) {
    return ["node(s) didn't match the requested node name"];
  }
  const untolerated = taints.find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t),
  );
  if (untolerated) return [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`];
  if (!nodeAffinityFits(spec, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  if (requests.hostPorts.length > 0) {
    for (const used of info.hostPorts.values()) {
      if (requests.hostPorts.some((want) => used.some((u) => portsConflict(want, u)))) {
        return ["node(s) didn't have free ports for the requested pod ports"];
      }
    }
  }
  const alloc = info.allocatable;
  const tooMany = info.pods + 1 > alloc.pods;
  const cpu = requests.milliCpu > 0 && info.milliCpu + requests.milliCpu > alloc.milliCpu;
  const memory = requests.memory > 0 && info.memory + requests.memory > alloc.memory;
  // The node fits (the common case, for every node and every pod): no new array.
  if (!tooMany && !cpu && !memory) return FITS;
  const reasons: string[] = [];
  if (tooMany) reasons.push('Too many pods');
  if (cpu) reasons.push('Insufficient cpu');
  if (memory) reasons.push('Insufficient memory');
  return reasons;
}

/** Not frozen (a frozen array leaves the fast paths of iteration); read only by type. */
const FITS: readonly string[] = [];

/** `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.` */
export function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}
