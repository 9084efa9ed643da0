/** metav1.LabelSelector (matchLabels + matchExpressions) and plain map selectors, as matchers. */
import { isObject } from '../store/object';

export type Labels = Readonly<Record<string, string>> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

interface Expression {
  key: string;
  operator: string;
  values: string[];
}

/** A LabelSelector; an empty selector matches everything, a missing one nothing (as Kubernetes treats them for workloads). */
export function labelSelectorMatcher(selector: unknown): LabelMatcher {
  if (!isObject(selector)) return () => false;
  const matchLabels = isObject(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : {};
  const expressions: Expression[] = Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions.filter(isObject).map((e) => ({
        key: String(e.key),
        operator: String(e.operator),
        values: Array.isArray(e.values) ? e.values.map(String) : [],
      }))
    : [];
  return (labels) => {
    const l = labels ?? {};
    for (const [k, v] of Object.entries(matchLabels)) if (l[k] !== v) return false;
    return expressions.every((e) => matchesExpression(e, l));
  };
}

function matchesExpression(e: Expression, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  switch (e.operator) {
    case 'In':
      return has && e.values.includes(labels[e.key]!);
    case 'NotIn':
      return !has || !e.values.includes(labels[e.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** A Service's `selector` map: every pair must match; an empty or missing one selects nothing. */
export function mapSelectorMatcher(selector: unknown): LabelMatcher {
  if (!isObject(selector) || Object.keys(selector).length === 0) return () => false;
  const pairs = Object.entries(selector).map(([k, v]) => [k, String(v)] as const);
  return (labels) => {
    const l = labels ?? {};
    return pairs.every(([k, v]) => l[k] === v);
  };
}
