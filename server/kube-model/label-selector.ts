/**
 * Label selectors, in every form Kubernetes writes them: metav1.LabelSelector
 * (`matchLabels` + `matchExpressions`), plain map selectors (a Service's
 * `selector`, a pod's `nodeSelector`), node selector requirements (which add
 * `Gt` and `Lt`), and the string form list and watch take (`a=b,c!=d,e in (x,y),f notin (z),g,!h`).
 */

import type { Requirement } from './label-selector-string';

export type Labels = Readonly<Record<string, string>> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

/** The operators of a set-based requirement: the LabelSelector ones, then the node selector ones. */
export type SetOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
const LABEL_SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

interface Expression {
  key: string;
  operator: string;
  values: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a set-based requirement holds for a label's value (`undefined` when
 * the label is absent). `Gt` and `Lt` compare as integers; an unknown operator never holds.
 */
export function requirementMatches(operator: unknown, values: readonly string[], value: string | undefined): boolean {
  switch (operator) {
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

/** A label's value, only when the labels have it themselves (never `constructor` or `toString` from the prototype). */
export function labelValue(labels: Labels, key: string): string | undefined {
  return labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/** A LabelSelector; an empty selector matches everything, a missing one nothing (as Kubernetes treats them for workloads). */
export function labelSelectorMatcher(selector: unknown): LabelMatcher {
  if (!isRecord(selector)) return () => false;
  const matchLabels = isRecord(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : {};
  const expressions: Expression[] = Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions.filter(isRecord).map((e) => ({
        key: String(e.key),
        operator: String(e.operator),
        values: Array.isArray(e.values) ? e.values.map(String) : [],
      }))
    : [];
  // Its keys listed once: a controller asks one matcher of many pods (no pair arrays made per pod).
  const matchKeys = Object.keys(matchLabels);
  return (labels) => {
    const l = labels ?? {};
    if (!keysSelect(matchLabels, matchKeys, l)) return false;
    return expressions.every(
      (e) =>
        LABEL_SELECTOR_OPERATORS.includes(e.operator) && requirementMatches(e.operator, e.values, labelValue(l, e.key)),
    );
  };
}

/** Whether every pair of a map selector is among the labels (an empty map selects everything). */
export function mapSelects(selector: Readonly<Record<string, string>>, labels: Labels): boolean {
  return keysSelect(selector, Object.keys(selector), labels);
}

/**
 * `mapSelects` given the selector's keys (`Object.keys(selector)`), for a caller asking it of many label
 * maps: a workspace's Service checks ask it of every candidate pod (no key or pair arrays made each time).
 */
export function keysSelect(
  selector: Readonly<Record<string, string>>,
  keys: readonly string[],
  labels: Labels,
): boolean {
  const l = labels ?? {};
  for (const key of keys) if (labelValue(l, key) !== selector[key]) return false;
  return true;
}

/** A Service's `selector` map: every pair must match; an empty or missing one selects nothing. */
export function mapSelectorMatcher(selector: unknown): LabelMatcher {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return () => false;
  const pairs = Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)]));
  return (labels) => mapSelects(pairs, labels);
}

/** `app=web, tier=api` for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

// The string form, as the `labelSelector` parameter of list and watch takes it.

export { parseLabelSelector, SelectorSyntaxError, type Requirement, type SelectorOp } from './label-selector-string';

/** Splits on commas that are not inside parentheses (field selectors). */
export function splitSelectorTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const STRING_FORM: Record<string, (key: string, values: string[]) => string> = {
  In: (key, values) => `${key} in (${values.join(',')})`,
  NotIn: (key, values) => `${key} notin (${values.join(',')})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/**
 * A LabelSelector in the string form (`app=web,tier in (a,b),!canary`), for a
 * list or watch of what it selects; expressions with an unknown operator are left out.
 */
export function labelSelectorString(selector: unknown): string {
  if (!isRecord(selector)) return '';
  const terms = Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {}).map(
    ([k, v]) => `${k}=${String(v)}`,
  );
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions.filter(isRecord)) {
      const render = typeof e.operator === 'string' ? STRING_FORM[e.operator] : undefined;
      if (render) terms.push(render(String(e.key), Array.isArray(e.values) ? e.values.map(String) : []));
    }
  }
  return terms.join(',');
}

/** Whether every requirement holds; `get` reads a label (or field) by key. */
export function matches(requirements: readonly Requirement[], get: (key: string) => string | undefined): boolean {
  return requirements.every(({ key, op, values }) => {
    const value = get(key);
    switch (op) {
      case '=':
        return value === values[0];
      case '!=':
        return value !== values[0];
      case 'in':
        return requirementMatches('In', values, value);
      case 'notin':
        return requirementMatches('NotIn', values, value);
      case 'exists':
        return requirementMatches('Exists', values, value);
      case '!':
        return requirementMatches('DoesNotExist', values, value);
      case 'gt':
        return requirementMatches('Gt', values, value);
      case 'lt':
        return requirementMatches('Lt', values, value);
    }
  });
}
