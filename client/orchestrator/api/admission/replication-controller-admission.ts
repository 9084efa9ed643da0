/**
 * What Kubernetes' defaulting and validation do to a ReplicationController
 * beyond its pod template (which defaults.ts and validation.ts treat as for
 * every workload): `spec.replicas` defaults to 1; an empty selector defaults
 * to the template's labels, and so do the RC's own labels; the selector (a
 * plain label map) must be non-empty and match the template's labels, and the
 * template's pods must restart Always.
 */
import type { StatusCause } from '../../store/errors';
import { clone, isObject, type KubeObject } from '../../store/object';
import { child, setDefault } from './default-fields';

const quote = (v: unknown) => JSON.stringify(v);
const isEmptyMap = (v: unknown) => !isObject(v) || Object.keys(v).length === 0;

export function defaultReplicationController(rc: KubeObject, create: boolean): void {
  const spec = child(rc, 'spec');
  setDefault(spec, 'replicas', 1);
  const template = isObject(spec.template) ? spec.template : undefined;
  const labels = isObject(template?.metadata) ? template.metadata.labels : undefined;
  if (isObject(labels) && Object.keys(labels).length > 0) {
    if (isEmptyMap(spec.selector)) spec.selector = clone(labels);
    if (isEmptyMap(rc.metadata.labels)) rc.metadata.labels = clone(labels) as Record<string, string>;
  }
  if (create) delete rc.status;
}

export function checkReplicationController(rc: KubeObject, out: StatusCause[]): void {
  const spec = isObject(rc.spec) ? rc.spec : {};
  for (const field of ['replicas', 'minReadySeconds'] as const) {
    const value = spec[field];
    if (typeof value === 'number' && value < 0)
      out.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${quote(value)}: must be greater than or equal to 0`,
        field: `spec.${field}`,
      });
  }
  const selector = spec.selector;
  const selectorOk = !isEmptyMap(selector) && Object.values(selector as object).every((v) => typeof v === 'string');
  if (!selectorOk) out.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
  if (!isObject(spec.template)) {
    out.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template' });
    return;
  }
  const template = spec.template;
  const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (selectorOk && !Object.entries(selector as object).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v))
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${quote(labels)}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    });
  const restart = isObject(template.spec) ? template.spec.restartPolicy : undefined;
  if (restart !== undefined && restart !== 'Always')
    out.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${quote(restart)}: supported values: "Always"`,
      field: 'spec.template.spec.restartPolicy',
    });
}
