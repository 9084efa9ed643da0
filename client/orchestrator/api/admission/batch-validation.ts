/**
 * The checks on Jobs and CronJobs only the cluster makes (the rules a manifest
 * can break are shared with the editor in `server/kube-model/validation/job.ts`):
 * a Job's selector is generated from its uid and must still pick the labels it
 * was made from; fields the embedded cluster stores but does not act on get a warning.
 */
import { selectorSelects } from '../../../../server/kube-model/validation';
import type { StatusCause } from '../../store/errors';
import { isObject, type JsonObject, type KubeObject } from '../../store/object';
import type { AdmissionContext } from './admission';
import { generatedJobLabels } from './batch-defaults';

const required = (field: string, detail = ''): StatusCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});
const invalid = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});

function specOf(parent: unknown): JsonObject {
  return isObject(parent) && isObject(parent.spec) ? parent.spec : {};
}

function warnIgnoredFields(spec: JsonObject, path: string, context: AdmissionContext): void {
  for (const [key, what] of [
    ['podFailurePolicy', 'pod failure policies'],
    ['successPolicy', 'success policies'],
    ['backoffLimitPerIndex', 'per-index back-off limits'],
  ] as const) {
    if (spec[key] != null && context.operation === 'CREATE')
      context.warnings.push(`${path}.${key}: the embedded cluster does not apply ${what} yet; the field is ignored`);
  }
}

/** The selector generated at create must still pick exactly the labels it was made from. */
function checkGeneratedSelector(
  job: KubeObject,
  spec: JsonObject,
  context: AdmissionContext,
  out: StatusCause[],
): void {
  if (!isObject(spec.selector)) {
    out.push(required('spec.selector'));
    return;
  }
  if (spec.manualSelector === true) return;
  const uid = job.metadata.uid ?? context.old?.metadata.uid ?? '';
  if (uid === '') out.push(required('metadata.uid'));
  const template = isObject(spec.template) ? spec.template : {};
  const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  const expected = generatedJobLabels(job.metadata.name ?? '', uid);
  for (const [key, value] of Object.entries(expected)) {
    const field = `spec.template.metadata.labels[${key}]`;
    if (labels[key] === undefined) out.push(required(field, `must be '${value}'`));
    else if (labels[key] !== value) out.push(invalid(field, labels[key], `must be '${value}'`));
  }
  if (!selectorSelects(spec.selector, expected))
    out.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
}

/** A Job's generated selector and the warnings for a Job or a CronJob's job template. */
export function checkJobCluster(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  if (object.kind === 'CronJob') {
    warnIgnoredFields(specOf(specOf(object).jobTemplate), 'spec.jobTemplate.spec', context);
    return;
  }
  const spec = specOf(object);
  checkGeneratedSelector(object, spec, context, out);
  warnIgnoredFields(spec, 'spec', context);
}
