/**
 * The scheduler's filters, in kube-scheduler's order: NodeUnschedulable,
 * NodeName, TaintToleration, NodeAffinity (nodeSelector and required terms),
 * NodePorts, NodeResourcesFit. Each returns why the node does not fit, or
 * nothing; the reasons are kube-scheduler's own words.
 */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { NodeInfo } from './node-info';
import { portsConflict, type PodRequests } from './pod-requests';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function taintsOf(node: Stored): Taint[] {
  const spec = isObject(node.spec) ? node.spec : {};
  return Array.isArray(spec.taints) ? (spec.taints.filter(isObject) as unknown as Taint[]) : [];
}

export function tolerates(tolerations: readonly JsonObject[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (typeof t.effect === 'string' && t.effect !== '' && t.effect !== taint.effect) return false;
    const key = typeof t.key === 'string' ? t.key : '';
    if (t.operator === 'Exists') return key === '' || key === taint.key;
    return key === taint.key && (typeof t.value === 'string' ? t.value : '') === (taint.value ?? '');
  });
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function matchesExpression(e: JsonObject, value: string | undefined): boolean {
  const values = Array.isArray(e.values) ? e.values.map(String) : [];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** A NodeSelectorTerm: every expression on labels and fields matches (an empty term matches nothing). */
export function matchesTerm(term: JsonObject, node: Stored): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = list(term.matchExpressions);
  const fields = list(term.matchFields);
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((e) => matchesExpression(e, labels[String(e.key)])) &&
    fields.every((e) => matchesExpression(e, e.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

/** nodeSelector and required node affinity terms (what the DaemonSet controller checks too). */
export function nodeAffinityFits(spec: JsonObject, node: Stored): boolean {
  const labels = node.metadata.labels ?? {};
  if (isObject(spec.nodeSelector)) {
    for (const [k, v] of Object.entries(spec.nodeSelector)) if (labels[k] !== String(v)) return false;
  }
  const affinity =
    isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(required)) {
    const terms = list(required.nodeSelectorTerms);
    if (!terms.some((t) => matchesTerm(t, node))) return false;
  }
  return true;
}

/** Every reason the node is rejected for this pod (empty when it fits). */
export function filterNode(pod: Stored, requests: PodRequests, info: NodeInfo): string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const node = info.node;
  const nodeSpec = isObject(node.spec) ? node.spec : {};
  const tolerations = list(spec.tolerations);
  if (
    nodeSpec.unschedulable === true &&
    !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return ['node(s) were unschedulable'];
  }
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && spec.nodeName !== node.metadata.name) {
    return ["node(s) didn't match the requested node name"];
  }
  const untolerated = taintsOf(node).find(
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
  const reasons: string[] = [];
  const alloc = info.allocatable;
  if (info.pods + 1 > alloc.pods) reasons.push('Too many pods');
  if (requests.milliCpu > 0 && info.milliCpu + requests.milliCpu > alloc.milliCpu) reasons.push('Insufficient cpu');
  if (requests.memory > 0 && info.memory + requests.memory > alloc.memory) reasons.push('Insufficient memory');
  return reasons;
}

/** `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.` */
export function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}
