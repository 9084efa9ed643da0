/**
 * A workload's pod template and selector: the template's labels, its pod spec
 * with the restart policies the workload allows, and a selector that selects
 * the template. Exported for every controller kind (ReplicationController too).
 */
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required } from './field-error';
import { isObject, objectAt, type JsonObject } from './json';
import { isEmptySelector, selectorSelects, validateLabelSelector } from './label-selector';
import { labelsValid, validateAnnotations, validateLabels } from './object-meta';
import { validatePodSpec } from './pod-spec';

export interface TemplateRules {
  /** The restart policies the workload allows (Kubernetes defaults an absent one to `Always`); Jobs check their own. */
  readonly restartPolicies?: readonly string[];
  /** The kind named in the `activeDeadlineSeconds` message when the template may not have one. */
  readonly deadlineForbiddenIn?: string;
  /** Volume names the pods get besides the template's own (a StatefulSet's claim templates). */
  readonly extraVolumes?: readonly string[];
}

export function validatePodTemplate(template: unknown, path: FieldPath, rules: TemplateRules, out: FieldError[]): void {
  const t: JsonObject = isObject(template) ? template : {};
  // The maps' paths are made only when there is something to report.
  const metadata = t.metadata;
  if (isObject(metadata)) {
    const { labels, annotations } = metadata;
    if (!labelsValid(labels)) validateLabels(labels, [...path, 'metadata', 'labels'], out);
    if (isObject(annotations)) validateAnnotations(annotations, [...path, 'metadata', 'annotations'], out);
  }
  validatePodSpec(t.spec, [...path, 'spec'], out, rules.extraVolumes);
  const spec = objectAt(t, 'spec');
  const restart = spec.restartPolicy;
  const allowed = rules.restartPolicies;
  if (allowed && restart !== undefined && !(typeof restart === 'string' && allowed.includes(restart)))
    out.push(notSupported([...path, 'spec', 'restartPolicy'], restart, allowed));
  if (rules.deadlineForbiddenIn && spec.activeDeadlineSeconds != null)
    out.push(
      forbidden(
        [...path, 'spec', 'activeDeadlineSeconds'],
        `activeDeadlineSeconds in ${rules.deadlineForbiddenIn} is not Supported`,
      ),
    );
}

/**
 * A controller's selector: required, not empty, and selecting its template's labels
 * (`what` names the kind in the empty-selector message: `deployment`, `statefulset`...).
 */
export function validateSelectorAndTemplate(spec: JsonObject, what: string, out: FieldError[]): void {
  const selector = spec.selector;
  const labels = objectAt(objectAt(spec.template, 'metadata'), 'labels');
  if (selector === undefined || selector === null) {
    out.push(required(['spec', 'selector'], '', 'selector'));
    return;
  }
  validateLabelSelector(selector, ['spec', 'selector'], out);
  if (isEmptySelector(selector))
    out.push(invalid(['spec', 'selector'], selector, `empty selector is invalid for ${what}`, 'selector'));
  else if (!selectorSelects(selector, labels))
    out.push(
      invalid(
        ['spec', 'template', 'metadata', 'labels'],
        labels,
        '`selector` does not match template `labels`',
        'selector',
      ),
    );
}

const PERCENT = /^[0-9]+%$/;

/** An int-or-percent field (maxSurge, maxUnavailable, a PDB's budget): not negative, a percent at most 100%. */
export function validateIntOrPercent(value: unknown, path: FieldPath, out: FieldError[]): void {
  if (typeof value === 'number') {
    if (value < 0) out.push(invalid(path, value, 'must be greater than or equal to 0'));
  } else if (typeof value === 'string') {
    if (!PERCENT.test(value))
      out.push(
        invalid(
          path,
          value,
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
      );
    else if (Number(value.slice(0, -1)) > 100) out.push(invalid(path, value, 'must not be greater than 100%'));
  }
}

/** Fields of a spec that may not be negative. */
export function nonNegative(spec: JsonObject, keys: readonly string[], path: FieldPath, out: FieldError[]): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = spec[key];
    if (typeof v === 'number' && v < 0) out.push(invalid([...path, key], v, 'must be greater than or equal to 0'));
  }
}
