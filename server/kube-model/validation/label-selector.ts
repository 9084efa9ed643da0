/** A `metav1.LabelSelector` (matchLabels and matchExpressions) and whether it selects a template's labels. */
import { labelSelectorMatcher } from '../label-selector';
import { qualifiedNameErrors } from '../name-formats';
import { type FieldError, type FieldPath, forbidden, invalid, required } from './field-error';
import { hasObjectItem, isObject, items, stringMap } from './json';
import { labelsValid, validateLabels } from './object-meta';

export function validateLabelSelector(selector: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(selector)) return;
  if (!labelsValid(selector.matchLabels)) validateLabels(selector.matchLabels, [...path, 'matchLabels'], out);
  // By index, not destructured: the first pass of a large file runs this unoptimized (an iterator per loop).
  const expressions = items(selector.matchExpressions);
  for (let x = 0; x < expressions.length; x++) {
    const i = expressions[x]![0];
    const e = expressions[x]![1];
    const at = [...path, 'matchExpressions', i];
    if (typeof e.key === 'string')
      for (const detail of qualifiedNameErrors(e.key)) out.push(invalid([...at, 'key'], e.key, detail, 'selector'));
    const values = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0)
        out.push(required([...at, 'values'], "must be specified when `operator` is 'In' or 'NotIn'", 'selector'));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0)
        out.push(
          forbidden(
            [...at, 'values'],
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            'selector',
          ),
        );
    } else out.push(invalid([...at, 'operator'], e.operator, 'not a valid selector operator', 'selector'));
  }
}

/** Whether a selector has no requirement at all (it would select everything). */
export function isEmptySelector(selector: unknown): boolean {
  return !isObject(selector) || (!hasScalarValue(selector.matchLabels) && !hasObjectItem(selector.matchExpressions));
}

/** A label map's value as `stringMap` keeps it: strings, numbers and booleans as text; anything else dropped. */
const labelText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Whether `stringMap(v)` would have any key (without making it). */
function hasScalarValue(v: unknown): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) if (labelText(v[keys[i]!]) !== undefined) return true;
  return false;
}

/** Whether every pair of `stringMap(matchLabels)` is in `stringMap(labels)` (without making either). */
function matchLabelsSelect(matchLabels: unknown, labels: unknown): boolean {
  if (!isObject(matchLabels)) return true;
  // By index: the first pass of a large file runs this unoptimized, where `for...of` calls the iterator per key.
  const keys = Object.keys(matchLabels);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const want = labelText(matchLabels[key]);
    if (want === undefined) continue;
    const own = isObject(labels) && Object.prototype.propertyIsEnumerable.call(labels, key);
    if (!own || labelText(labels[key]) !== want) return false;
  }
  return true;
}

/** Whether the selector selects these labels (template labels, as a manifest writes them). */
export function selectorSelects(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector)) return false;
  // Only labels (what most workloads write): compared in place.
  if (!hasObjectItem(selector.matchExpressions)) return matchLabelsSelect(selector.matchLabels, labels);
  const expressions = items(selector.matchExpressions).map(([, e]) => ({
    ...e,
    values: Array.isArray(e.values) ? e.values.map((v) => (typeof v === 'string' ? v : String(v))) : e.values,
  }));
  return labelSelectorMatcher({ matchLabels: stringMap(selector.matchLabels), matchExpressions: expressions })(
    stringMap(labels),
  );
}
