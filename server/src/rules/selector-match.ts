import { labelSelectorMatcher, mapSelects } from '../../kube-model/label-selector.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { keyNodeOf, text } from './helpers.js';
import type { Rule } from './rule.js';

interface Requirement {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

function asLabels(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A map's values as the strings a label selector compares. */
function asStrings(map: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, text(v)]));
}

/** Whether the selector selects these labels, decided by the shared model's matchers. */
function selects(selector: Record<string, unknown>, labels: Record<string, unknown>, plainMap: boolean): boolean {
  if (plainMap) return mapSelects(asStrings(selector), asStrings(labels));
  const expressions = Array.isArray(selector['matchExpressions'])
    ? (selector['matchExpressions'] as unknown[]).map((r) => {
        const e = asLabels(r);
        return e && Array.isArray(e['values']) ? { ...e, values: e['values'].map(text) } : r;
      })
    : [];
  return labelSelectorMatcher({
    matchLabels: asStrings(asLabels(selector['matchLabels']) ?? {}),
    matchExpressions: expressions,
  })(asStrings(labels));
}

/** Why the selector does not select these labels (for the message), or `undefined` when no reason is found. */
function mismatch(
  selector: Record<string, unknown>,
  labels: Record<string, unknown>,
  plainMap: boolean,
): string | undefined {
  const matchLabels = plainMap ? selector : (asLabels(selector['matchLabels']) ?? {});
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] === undefined) return `the template has no label \`${key}\``;
    if (text(labels[key]) !== text(value))
      return `the template's label \`${key}\` is \`${text(labels[key])}\`, not \`${text(value)}\``;
  }
  if (plainMap) return undefined;
  const expressions = Array.isArray(selector['matchExpressions'])
    ? (selector['matchExpressions'] as Requirement[])
    : [];
  for (const r of expressions) {
    if (typeof r.key !== 'string') continue;
    const has = labels[r.key] !== undefined;
    const values = Array.isArray(r.values) ? r.values.map(text) : [];
    const value = has ? text(labels[r.key]) : undefined;
    if (r.operator === 'In' && (value === undefined || !values.includes(value)))
      return `the template's label \`${r.key}\` is not in [${values.join(', ')}]`;
    if (r.operator === 'NotIn' && value !== undefined && values.includes(value))
      return `the template's label \`${r.key}\` is in [${values.join(', ')}]`;
    if (r.operator === 'Exists' && !has) return `the template has no label \`${r.key}\``;
    if (r.operator === 'DoesNotExist' && has) return `the template has the label \`${r.key}\``;
  }
  return undefined;
}

const WORKLOADS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'];

/** A workload's selector must select its own pod template, or the API server rejects it. */
export const selectorMatchRule: Rule = {
  id: 'selector-match',
  check(ctx) {
    if (!WORKLOADS.includes(ctx.kind)) return;
    const selector = asLabels(ctx.value(['spec', 'selector']));
    const labels = asLabels(ctx.value(['spec', 'template', 'metadata', 'labels']));
    if (!selector) return;
    const plainMap = ctx.kind === 'ReplicationController';
    const selectsAnything = plainMap
      ? Object.keys(selector).length > 0
      : Object.keys(selector).some((k) => k === 'matchLabels' || k === 'matchExpressions');
    if (!selectsAnything) return;
    if (selects(selector, labels ?? {}, plainMap)) return;
    const reason =
      mismatch(selector, labels ?? {}, plainMap) ??
      'an expression has no key, or an operator other than In, NotIn, Exists and DoesNotExist';
    // The API server's field path is spec.template.metadata.labels: the error goes there (or as near as exists).
    ctx.report(
      keyNodeOf(ctx, ['spec', 'template', 'metadata', 'labels']) ??
        keyNodeOf(ctx, ['spec', 'template', 'metadata']) ??
        keyNodeOf(ctx, ['spec', 'template']) ??
        keyNodeOf(ctx, ['spec', 'selector']),
      DiagnosticCode.selectorMismatch,
      `spec.selector does not match spec.template.metadata.labels: ${reason}`,
    );
  },
};
