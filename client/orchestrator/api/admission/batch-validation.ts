/**
 * The checks Kubernetes makes on Jobs and CronJobs (their pod templates'
 * containers are checked by validation.ts), worded like Kubernetes' own.
 * Fields the embedded cluster stores but does not act on get a warning.
 */
import { isKnownTimeZone, parseCronSchedule } from '../../cron-schedule';
import type { StatusCause } from '../../store/errors';
import { isObject, jsonEqual, type JsonObject, type KubeObject } from '../../store/object';
import type { AdmissionContext } from './admission';
import { generatedJobLabels } from './batch-defaults';

const quote = (v: unknown) => JSON.stringify(v);
const required = (field: string, detail = ''): StatusCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});
const invalid = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${quote(value)}: ${detail}`,
  field,
});
const immutable = (field: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: 'Invalid value: field is immutable',
  field,
});
const unsupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${quote(value)}: supported values: ${supported.map(quote).join(', ')}`,
  field,
});

function specOf(parent: unknown): JsonObject {
  return isObject(parent) && isObject(parent.spec) ? parent.spec : {};
}

function templatePodSpec(jobSpec: JsonObject): unknown {
  return isObject(jobSpec.template) ? jobSpec.template.spec : undefined;
}

/** The pod spec of a Job's template (for the container checks). */
export function jobPodSpec(job: KubeObject): unknown {
  return templatePodSpec(specOf(job));
}

/** The pod spec of a CronJob's job template. */
export function cronJobPodSpecOf(cronJob: KubeObject): unknown {
  return templatePodSpec(specOf(specOf(cronJob).jobTemplate));
}

function matchesSelector(selector: JsonObject, labels: Record<string, unknown>): boolean {
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isObject) : [];
  return expressions.every((e) => {
    const value = labels[String(e.key)];
    const values = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In') return values.includes(value);
    if (e.operator === 'NotIn') return !values.includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    if (e.operator === 'DoesNotExist') return value === undefined;
    return false;
  });
}

function nonNegative(spec: JsonObject, keys: string[], path: string, out: StatusCause[]): void {
  for (const key of keys) {
    const value = spec[key];
    if (typeof value === 'number' && value < 0)
      out.push(invalid(`${path}.${key}`, value, 'must be greater than or equal to 0'));
  }
}

/** What every JobSpec must satisfy, in a Job or a CronJob's job template (`path` is where the spec is). */
function checkJobSpec(spec: JsonObject, path: string, context: AdmissionContext, out: StatusCause[]): void {
  nonNegative(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit'], path, out);
  nonNegative(spec, ['ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'], path, out);
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed')
    out.push(unsupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec.completions == null)
    out.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && replacement !== 'Failed' && replacement !== 'TerminatingOrFailed')
    out.push(unsupported(`${path}.podReplacementPolicy`, replacement, ['Failed', 'TerminatingOrFailed']));
  const template = isObject(spec.template) ? spec.template : {};
  const restart = isObject(template.spec) ? template.spec.restartPolicy : undefined;
  const restartField = `${path}.template.spec.restartPolicy`;
  if (restart === undefined || restart === 'Always' || restart === '')
    out.push(required(restartField, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never')
    out.push(unsupported(restartField, restart, ['OnFailure', 'Never']));
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
  if (spec.manualSelector === true || !isObject(spec.selector)) return;
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
  if (!matchesSelector(spec.selector, expected))
    out.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
}

export function checkJob(job: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const spec = specOf(job);
  checkGeneratedSelector(job, spec, context, out);
  checkJobSpec(spec, 'spec', context, out);
  const template = isObject(spec.template) ? spec.template : {};
  const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (!isObject(spec.selector)) out.push(required('spec.selector'));
  else if (!matchesSelector(spec.selector, labels))
    out.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  if (context.operation !== 'UPDATE' || !context.old) return;
  const old = specOf(context.old);
  for (const key of ['selector', 'template', 'completions', 'completionMode', 'podFailurePolicy', 'successPolicy']) {
    if (!jsonEqual(spec[key] ?? null, old[key] ?? null)) out.push(immutable(`spec.${key}`));
  }
}

export function checkCronJob(cronJob: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const name = cronJob.metadata.name ?? '';
  if (context.operation === 'CREATE' && name.length > 52)
    out.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  const spec = specOf(cronJob);
  const schedule = spec.schedule;
  const zone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
  if (typeof schedule !== 'string' || schedule === '') out.push(required('spec.schedule'));
  else {
    try {
      parseCronSchedule(schedule);
    } catch (error) {
      out.push(invalid('spec.schedule', schedule, (error as Error).message));
    }
    if (schedule.includes('TZ'))
      out.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  if (zone === '') out.push(invalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string'));
  else if (zone?.toLowerCase() === 'local')
    out.push(
      invalid(
        'spec.timeZone',
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  else if (zone !== undefined && !isKnownTimeZone(zone))
    out.push(invalid('spec.timeZone', zone, `unknown time zone ${zone}`));
  const policy = spec.concurrencyPolicy;
  if (policy !== 'Allow' && policy !== 'Forbid' && policy !== 'Replace')
    out.push(unsupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  nonNegative(spec, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], 'spec', out);
  const jobSpec = specOf(spec.jobTemplate);
  checkJobSpec(jobSpec, 'spec.jobTemplate.spec', context, out);
  if (jobSpec.selector != null)
    out.push(invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true)
    out.push(unsupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
}
