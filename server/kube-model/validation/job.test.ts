import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, object, podSpec, template } from './test-manifests';

const job = (spec: Record<string, unknown> = {}) =>
  object('batch/v1', 'Job', { spec: { template: template(podSpec({ restartPolicy: 'Never' })), ...spec } });
const cronJob = (spec: Record<string, unknown> = {}, name = 'x') => ({
  ...object('batch/v1', 'CronJob', {
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: job().spec }, ...spec },
  }),
  metadata: { name },
});

describe('Job and CronJob rules', () => {
  it('accepts a plain Job and CronJob', () => {
    assert.deepEqual(errors(job()), []);
    assert.deepEqual(errors(cronJob()), []);
  });
  it('a Job template restarts OnFailure or Never (Always and absent are refused)', () => {
    assert.deepEqual(errors(job({ template: template(podSpec()) })), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    assert.deepEqual(errors(job({ template: template(podSpec({ restartPolicy: 'Always' })) })), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });
  it('counts not negative; completion mode and pod replacement policy', () => {
    assert.deepEqual(errors(job({ backoffLimit: -1, completionMode: 'Indexed', podReplacementPolicy: 'Never' })), [
      'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
      'spec.completions: Required value: when completion mode is Indexed',
      'spec.podReplacementPolicy: Unsupported value: "Never": supported values: "Failed", "TerminatingOrFailed"',
    ]);
  });
  it('a given selector must select the template', () => {
    assert.deepEqual(errors(job({ manualSelector: true, selector: { matchLabels: { app: 'api' } } })), [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });
  it('on update the template and selector are immutable', () => {
    const changed = job({ template: template(podSpec({ restartPolicy: 'OnFailure' })) });
    assert.deepEqual(errors(changed, { operation: 'UPDATE', old: job() }), [
      'spec.template: Invalid value: field is immutable',
    ]);
  });
  it("a CronJob's name, schedule, time zone and policy", () => {
    assert.deepEqual(errors(cronJob({}, 'n'.repeat(53))), [
      `metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`,
    ]);
    assert.deepEqual(
      errors(cronJob({ schedule: 'TZ=UTC 0 25 * * *', timeZone: 'Local', concurrencyPolicy: 'Never' })).length,
      4,
    );
    assert.deepEqual(errors(cronJob({ schedule: '' })), ['spec.schedule: Required value']);
    assert.deepEqual(errors(cronJob({ timeZone: 'Mars/Olympus' })), [
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    ]);
  });
  it("a CronJob's job template: restart policy, no selector", () => {
    const spec = { ...(job().spec as object), selector: { matchLabels: { a: 'b' } }, manualSelector: true };
    assert.deepEqual(errors(cronJob({ jobTemplate: { spec } })), [
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
      'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]);
  });
});
