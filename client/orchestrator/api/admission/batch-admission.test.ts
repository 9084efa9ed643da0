import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../../clock';
import { StatusError } from '../../store/errors';
import type { JsonObject, KubeObject } from '../../store/object';
import { ObjectStore } from '../../store/object-store';
import { AdmittedWriter } from '../admitted-writer';
import { localApiContext } from '../local-api-context';

const podTemplate = (restartPolicy?: string): JsonObject => ({
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'work', image: 'busybox:1.36' }] },
});

function job(name: string, spec: JsonObject = {}, restartPolicy = 'Never'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: podTemplate(restartPolicy), ...spec },
  };
}

async function writer(): Promise<AdmittedWriter> {
  const clock = new FakeClock();
  const store = await ObjectStore.open({ clock });
  await store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return new AdmittedWriter(localApiContext(store, clock), 'test');
}

/** The `field: message` lines of an Invalid error. */
async function causes(write: Promise<unknown>): Promise<string[]> {
  try {
    await write;
  } catch (error) {
    assert.ok(error instanceof StatusError, String(error));
    const list = (error.details as { causes?: { field: string; message: string }[] }).causes ?? [];
    return list.map((c) => `${c.field}: ${c.message}`);
  }
  return ['accepted'];
}

describe('Job and CronJob admission', () => {
  it("generates a Job's selector and pod labels from its uid (a client's uid is replaced)", async () => {
    const w = await writer();
    const input = job('migrate');
    input.metadata.uid = 'from-the-client';
    const created = await w.create('batch/jobs', input);
    const uid = created.metadata.uid!;
    assert.notEqual(uid, 'from-the-client');
    const spec = created.spec as JsonObject;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'migrate',
      'controller-uid': uid,
      'job-name': 'migrate',
    };
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual((spec.template as { metadata: JsonObject }).metadata.labels, labels);
    assert.deepEqual(created.metadata.labels, labels, 'a Job without labels takes its pods’');
    assert.equal(spec.manualSelector, false);
    assert.deepEqual(
      [
        spec.completions,
        spec.parallelism,
        spec.backoffLimit,
        spec.completionMode,
        spec.suspend,
        spec.podReplacementPolicy,
      ],
      [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed'],
    );
    assert.equal(created.status, undefined);
  });

  it('leaves completions unset when only parallelism is given', async () => {
    const created = await (await writer()).create('batch/jobs', job('queue', { parallelism: 3 }));
    const spec = created.spec as JsonObject;
    assert.equal(spec.completions, undefined);
    assert.equal(spec.parallelism, 3);
  });

  it('rejects pods that restart Always, a selector of its own without manualSelector, and Indexed without completions', async () => {
    const w = await writer();
    assert.deepEqual(await causes(w.create('batch/jobs', job('always', {}, ''))), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    const own = job('own', { selector: { matchLabels: { app: 'own' } } });
    (own.spec as { template: JsonObject }).template.metadata = { labels: { app: 'own' } };
    const ownCauses = await causes(w.create('batch/jobs', own));
    assert.equal(ownCauses.length, 1);
    assert.match(ownCauses[0]!, /^spec\.selector: Invalid value: .*: `selector` not auto-generated$/);
    assert.deepEqual(
      await causes(w.create('batch/jobs', job('indexed', { completionMode: 'Indexed', parallelism: 2 }))),
      ['spec.completions: Required value: when completion mode is Indexed'],
    );
  });

  it('keeps a manual selector, which must match the template', async () => {
    const w = await writer();
    const manual = job('manual', { manualSelector: true, selector: { matchLabels: { app: 'manual' } } });
    (manual.spec as { template: JsonObject }).template.metadata = { labels: { app: 'manual' } };
    const created = await w.create('batch/jobs', manual);
    assert.deepEqual((created.spec as JsonObject).selector, { matchLabels: { app: 'manual' } });
    const wrong = job('wrong', { manualSelector: true, selector: { matchLabels: { app: 'other' } } });
    assert.deepEqual(await causes(w.create('batch/jobs', wrong)), [
      'spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`',
    ]);
  });

  it("refuses changes to a Job's template but lets suspend change", async () => {
    const w = await writer();
    const created = await w.create('batch/jobs', job('fixed'));
    const suspended = structuredClone(created) as KubeObject;
    (suspended.spec as JsonObject).suspend = true;
    const updated = await w.update('batch/jobs', suspended);
    assert.equal((updated.spec as JsonObject).suspend, true);
    const changed = structuredClone(updated) as KubeObject;
    (changed.spec as { template: { spec: { containers: JsonObject[] } } }).template.spec.containers[0]!.image =
      'busybox:1.37';
    assert.deepEqual(await causes(w.update('batch/jobs', changed)), [
      'spec.template: Invalid value: field is immutable',
    ]);
  });

  it('defaults CronJobs and checks their schedule, time zone and job template', async () => {
    const w = await writer();
    const cronJob = (spec: JsonObject, name = 'nightly'): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: 'default' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate('OnFailure') } }, ...spec },
    });
    const created = await w.create('batch/cronjobs', cronJob({ timeZone: 'Europe/Berlin' }));
    const spec = created.spec as JsonObject;
    assert.deepEqual(
      [spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit],
      ['Allow', false, 3, 1],
    );
    assert.deepEqual(
      await causes(
        w.create(
          'batch/cronjobs',
          cronJob({
            schedule: '0 25 * * *',
            timeZone: 'Mars/Olympus',
            concurrencyPolicy: 'Sometimes',
            jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: podTemplate() } },
          }),
        ),
      ),
      [
        'spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25',
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
      ],
    );
    assert.deepEqual(await causes(w.create('batch/cronjobs', cronJob({}, 'n'.repeat(53)))), [
      `metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });
});
