/** A `metav1.LabelSelector` (matchLabels and matchExpressions) and whether it selects a template's labels. */
import { labelSelectorMatcher } from '../label-selector';
import { qualifiedNameErrors } from '../name-formats';
import { type FieldError, type FieldPath, forbidden, invalid, required } from './field-error';
import { isObject, items, stringMap } from './json';
import { validateLabels } from './object-meta';

export function validateLabelSelector(selector: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(selector)) return;
  validateLabels(selector.matchLabels, [...path, 'matchLabels'], out);
  for (const [i, e] of items(selector.matchExpressions)) {
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
  return (
    !isObject(selector) ||
    (Object.keys(stringMap(selector.matchLabels)).length === 0 && items(selector.matchExpressions).length === 0)
  );
}

/** Whether the selector selects these labels (template labels, as a manifest writes them). */
export function selectorSelects(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector)) return false;
  const expressions = items(selector.matchExpressions).map(([, e]) => ({
    ...e,
    values: Array.isArray(e.values) ? e.values.map((v) => (typeof v === 'string' ? v : String(v))) : e.values,
  }));
  return labelSelectorMatcher({ matchLabels: stringMap(selector.matchLabels), matchExpressions: expressions })(
    stringMap(labels),
  );
}
