/** Jobs and the job template of a CronJob (batch/v1). */
import { parseCronSchedule, isKnownTimeZone } from '../cron-schedule';
import type { ValidationContext } from './context';
import { type FieldError, type FieldPath, invalid, invalidNoValue, notSupported, required } from './field-error';
import { jsonEqual, objectAt, type JsonObject } from './json';
import { selectorSelects, validateLabelSelector } from './label-selector';
import { validateLabels } from './object-meta';
import { nonNegative, validatePodTemplate } from './pod-template';

/** What every JobSpec must satisfy, in a Job or a CronJob's job template (`path` is where the spec is). */
export function validateJobSpec(spec: JsonObject, path: FieldPath, out: FieldError[]): void {
  nonNegative(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit'], path, out);
  nonNegative(spec, ['ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'], path, out);
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed')
    out.push(notSupported([...path, 'completionMode'], mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec.completions == null)
    out.push(required([...path, 'completions'], 'when completion mode is Indexed'));
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && replacement !== 'Failed' && replacement !== 'TerminatingOrFailed')
    out.push(notSupported([...path, 'podReplacementPolicy'], replacement, ['Failed', 'TerminatingOrFailed']));
  validatePodTemplate(spec.template, [...path, 'template'], {}, out);
  const restart = objectAt(objectAt(spec, 'template'), 'spec').restartPolicy;
  const restartPath = [...path, 'template', 'spec', 'restartPolicy'];
  if (restart === undefined || restart === 'Always' || restart === '')
    out.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restart !== 'OnFailure' && restart !== 'Never')
    out.push(notSupported(restartPath, restart, ['OnFailure', 'Never']));
}

/** The Job fields an update may not change. */
export const JOB_IMMUTABLE = [
  'selector',
  'template',
  'completions',
  'completionMode',
  'podFailurePolicy',
  'successPolicy',
];

export function validateJob(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  validateJobSpec(spec, ['spec'], out);
  // A Job's selector is generated unless `manualSelector`; one that is given must select the template.
  if (spec.selector != null) {
    validateLabelSelector(spec.selector, ['spec', 'selector'], out);
    const labels = objectAt(objectAt(spec.template, 'metadata'), 'labels');
    if (!selectorSelects(spec.selector, labels))
      out.push(
        invalid(
          ['spec', 'template', 'metadata', 'labels'],
          labels,
          '`selector` does not match template `labels`',
          'selector',
        ),
      );
  }
  if (context.operation !== 'UPDATE' || !context.old) return;
  const old = objectAt(context.old, 'spec');
  for (const key of JOB_IMMUTABLE) {
    if (!jsonEqual(spec[key] ?? null, old[key] ?? null))
      out.push(invalidNoValue(['spec', key], 'field is immutable', 'immutable'));
  }
}

/** A CronJob's name leaves room for the 11 characters its Jobs' names add. */
export const CRON_JOB_NAME_MAX_LENGTH = 52;

export function validateCronJob(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const name = objectAt(object, 'metadata').name;
  if (context.operation === 'CREATE' && typeof name === 'string' && name.length > CRON_JOB_NAME_MAX_LENGTH)
    out.push(
      invalid(['metadata', 'name'], name, `must be no more than ${CRON_JOB_NAME_MAX_LENGTH} characters`, 'name'),
    );
  const spec = objectAt(object, 'spec');
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') out.push(required(['spec', 'schedule']));
  else {
    try {
      parseCronSchedule(schedule);
    } catch (error) {
      out.push(invalid(['spec', 'schedule'], schedule, (error as Error).message));
    }
    if (schedule.includes('TZ'))
      out.push(
        invalid(['spec', 'schedule'], schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
      );
  }
  const zone = spec.timeZone;
  if (zone === '') out.push(invalid(['spec', 'timeZone'], zone, 'timeZone must be nil or non-empty string'));
  else if (typeof zone === 'string' && zone.toLowerCase() === 'local')
    out.push(
      invalid(
        ['spec', 'timeZone'],
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  else if (typeof zone === 'string' && !isKnownTimeZone(zone))
    out.push(invalid(['spec', 'timeZone'], zone, `unknown time zone ${zone}`));
  const policy = spec.concurrencyPolicy;
  if (policy !== undefined && policy !== 'Allow' && policy !== 'Forbid' && policy !== 'Replace')
    out.push(notSupported(['spec', 'concurrencyPolicy'], policy, ['Allow', 'Forbid', 'Replace']));
  nonNegative(spec, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], ['spec'], out);
  validateLabels(
    objectAt(objectAt(spec.jobTemplate, 'metadata'), 'labels'),
    ['spec', 'jobTemplate', 'metadata', 'labels'],
    out,
  );
  const jobSpec = objectAt(spec.jobTemplate, 'spec');
  validateJobSpec(jobSpec, ['spec', 'jobTemplate', 'spec'], out);
  if (jobSpec.selector != null)
    out.push(
      invalid(['spec', 'jobTemplate', 'spec', 'selector'], jobSpec.selector, '`selector` will be auto-generated'),
    );
  if (jobSpec.manualSelector === true)
    out.push(notSupported(['spec', 'jobTemplate', 'spec', 'manualSelector'], true, ['nil', 'false']));
}
