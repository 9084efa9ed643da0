/** PodDisruptionBudgets (policy/v1): minAvailable or maxUnavailable (not both), the selector, the eviction policy. */
import { type FieldError, invalid, notSupported } from './field-error';
import { objectAt, type JsonObject } from './json';
import { validateLabelSelector } from './label-selector';
import { validateIntOrPercent } from './pod-template';

export function validatePodDisruptionBudget(object: JsonObject, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  if (spec.minAvailable != null && spec.maxUnavailable != null)
    out.push(invalid(['spec'], spec, 'minAvailable and maxUnavailable cannot be both set'));
  validateIntOrPercent(spec.minAvailable, ['spec', 'minAvailable'], out);
  validateIntOrPercent(spec.maxUnavailable, ['spec', 'maxUnavailable'], out);
  validateLabelSelector(spec.selector, ['spec', 'selector'], out);
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget')
    out.push(notSupported(['spec', 'unhealthyPodEvictionPolicy'], policy, ['AlwaysAllow', 'IfHealthyBudget']));
}
