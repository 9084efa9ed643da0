/**
 * Whether a pod may run on a node at all, as the scheduler and the DaemonSet
 * controller both decide it: taints and tolerations, nodeSelector and required
 * node affinity terms.
 */
import { labelValue, mapSelects, requirementMatches } from '../../../server/kube-model/label-selector';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function taintsOf(node: Stored): readonly Taint[] {
  const spec = isObject(node.spec) ? node.spec : undefined;
  // The scheduler asks for every node and every pod: a node without taints costs no new array.
  return spec !== undefined && Array.isArray(spec.taints)
    ? (spec.taints.filter(isObject) as unknown as Taint[])
    : NO_TAINTS;
}

/** Not frozen: a frozen array leaves the fast paths of for...of and find (each call then allocates). Read only by type. */
const NO_TAINTS: readonly Taint[] = [];

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

/** A NodeSelectorRequirement against a label's or field's value. */
function matchesExpression(e: JsonObject, value: string | undefined): boolean {
  return requirementMatches(e.operator, Array.isArray(e.values) ? e.values.map(String) : [], value);
}

/** A NodeSelectorTerm: every expression on labels and fields matches (an empty term matches nothing). */
export function matchesTerm(term: JsonObject, node: Stored): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = list(term.matchExpressions);
  const fields = list(term.matchFields);
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((e) => matchesExpression(e, labelValue(labels, String(e.key)))) &&
    fields.every((e) => matchesExpression(e, e.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

/** nodeSelector and required node affinity terms (what the DaemonSet controller checks too). */
export function nodeAffinityFits(spec: JsonObject, node: Stored): boolean {
  const labels = node.metadata.labels ?? {};
  if (isObject(spec.nodeSelector)) {
    const pairs = Object.fromEntries(Object.entries(spec.nodeSelector).map(([k, v]) => [k, String(v)]));
    if (!mapSelects(pairs, labels)) return false;
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
