/** HorizontalPodAutoscalers (autoscaling/v2): the target, min and max replicas, and each metric's shape. */
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required } from './field-error';
import { isObject, items, objectAt, type JsonObject } from './json';

export const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  ContainerResource: 'containerResource',
  External: 'external',
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
};
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(target: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(target)) {
    out.push(required(path));
    return;
  }
  const type = target.type;
  if (type === undefined) out.push(required([...path, 'type']));
  else if (!(typeof type === 'string' && TARGET_TYPES.includes(type)))
    out.push(notSupported([...path, 'type'], type, TARGET_TYPES));
  const utilization = target.averageUtilization;
  if (typeof utilization === 'number' && utilization <= 0)
    out.push(invalid([...path, 'averageUtilization'], utilization, 'must be greater than 0'));
  if (type === 'Utilization' && utilization == null)
    out.push(required([...path, 'averageUtilization'], 'must set either a target raw value or a target utilization'));
  if (type === 'Value' && target.value == null)
    out.push(required([...path, 'value'], 'must set either a target value for metric or a target utilization'));
  if (type === 'AverageValue' && target.averageValue == null)
    out.push(required([...path, 'averageValue'], 'must set either a target value for metric or a target utilization'));
}

function validateMetric(metric: JsonObject, path: FieldPath, out: FieldError[]): void {
  const type = metric.type;
  if (type === undefined) {
    out.push(required([...path, 'type'], 'must specify a metric source type'));
    return;
  }
  if (!(typeof type === 'string' && METRIC_TYPES.includes(type))) {
    out.push(notSupported([...path, 'type'], type, METRIC_TYPES));
    return;
  }
  const field = SOURCE_FIELD[type] ?? '';
  for (const other of Object.values(SOURCE_FIELD))
    if (other !== field && metric[other] != null)
      out.push(forbidden([...path, other], 'must populate the given metric source only'));
  const source = metric[field];
  if (!isObject(source)) {
    out.push(required([...path, field], 'must populate information for the given metric source'));
    return;
  }
  const at = [...path, field];
  const resource = type === 'Resource' || type === 'ContainerResource';
  if (resource && (typeof source.name !== 'string' || source.name === '')) out.push(required([...at, 'name']));
  if (type === 'ContainerResource' && (typeof source.container !== 'string' || source.container === ''))
    out.push(required([...at, 'container']));
  if (!resource && !isObject(source.metric)) out.push(required([...at, 'metric']));
  else if (!resource && (typeof objectAt(source, 'metric').name !== 'string' || objectAt(source, 'metric').name === ''))
    out.push(required([...at, 'metric', 'name']));
  validateTarget(source.target, [...at, 'target'], out);
}

export function validateHorizontalPodAutoscaler(object: JsonObject, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  const ref = objectAt(spec, 'scaleTargetRef');
  for (const key of ['kind', 'name'])
    if (typeof ref[key] !== 'string' || ref[key] === '') out.push(required(['spec', 'scaleTargetRef', key]));
  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  if (typeof min === 'number' && min < 1)
    out.push(invalid(['spec', 'minReplicas'], min, 'must be greater than or equal to 1'));
  if (typeof max === 'number' && max < 1) out.push(invalid(['spec', 'maxReplicas'], max, 'must be greater than 0'));
  else if (typeof max === 'number' && typeof min === 'number' && max < min)
    out.push(invalid(['spec', 'maxReplicas'], max, 'must be greater than or equal to `minReplicas`'));
  for (const [i, metric] of items(spec.metrics)) validateMetric(metric, ['spec', 'metrics', i], out);
}
