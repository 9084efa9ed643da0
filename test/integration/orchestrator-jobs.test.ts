/**
 * Jobs and CronJobs through the real kubectl: on `cluster start --runtime
 * fake` (containers end as their pod's fake.kube-workbench.io/exit-code
 * annotation says) and on real Docker containers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster';

/** A Job whose containers (fake runtime) exit with `exitCode` after `afterMs`. */
function fakeJob(name: string, exitCode: number, spec: string, afterMs = 200): string {
  return `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}
  template:
    metadata:
      annotations: {fake.kube-workbench.io/exit-code: "${exitCode}", fake.kube-workbench.io/exit-after-ms: "${afterMs}"}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox:1.36}]
`;
}

interface JobView {
  metadata: { uid: string; labels?: Record<string, string> };
  spec: { selector: { matchLabels: Record<string, string> }; backoffLimit: number; completionMode: string };
  status: {
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
}

describe('Jobs and CronJobs (fake runtime)', () => {
  const c = clusterFixture('kw-jobs-');
  const { ok, apply } = c;
  const jobJson = (name: string) => JSON.parse(ok(['get', 'job', name, '-o', 'json'])) as JobView;

  it('runs a Job to completion: kubectl wait --for=condition=complete, its columns, logs and events', () => {
    assert.match(apply(fakeJob('migrate', 0, '  completions: 3\n  parallelism: 2')), /job\.batch\/migrate created/);
    const waited = ok(['wait', '--for=condition=complete', 'job/migrate', '--timeout=60s']);
    assert.match(waited, /job\.batch\/migrate condition met/);
    const [row] = tableRows(ok(['get', 'jobs', 'migrate', '--no-headers']));
    assert.deepEqual(row?.slice(0, 3), ['migrate', 'Complete', '3/3']);
    const header = tableRows(ok(['get', 'jobs']))[0];
    assert.deepEqual(header, ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    const job = jobJson('migrate');
    assert.equal(job.metadata.labels?.['job-name'], 'migrate');
    assert.deepEqual(job.spec.selector.matchLabels, { 'batch.kubernetes.io/controller-uid': job.metadata.uid });
    assert.equal(job.spec.backoffLimit, 6);
    assert.deepEqual(
      job.status.conditions?.map((c) => `${c.type}/${c.reason}`),
      ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached'],
    );
    assert.equal(job.status.succeeded, 3);
    assert.ok(job.status.startTime && job.status.completionTime);
    // Finished pods stay, selected by the generated labels; their logs are kept.
    const pods = tableRows(ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=migrate', '--no-headers']));
    assert.equal(pods.length, 3);
    for (const pod of pods) assert.equal(pod[2], 'Completed');
    assert.equal(ok(['logs', 'job/migrate']), 'work started\n');
    const events = ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=migrate',
      '-o',
      'jsonpath={..reason}',
    ]);
    assert.deepEqual(events.split(' ').sort(), [
      'Completed',
      'SuccessfulCreate',
      'SuccessfulCreate',
      'SuccessfulCreate',
    ]);
  });

  it('fails a Job past its backoffLimit: Failed/BackoffLimitExceeded, and kubectl wait --for=condition=failed', () => {
    apply(fakeJob('broken', 1, '  backoffLimit: 0'));
    ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=60s']);
    const [row] = tableRows(ok(['get', 'job', 'broken', '--no-headers']));
    assert.deepEqual(row?.slice(0, 3), ['broken', 'Failed', '0/1']);
    const job = jobJson('broken');
    assert.equal(job.status.failed, 1);
    assert.deepEqual(
      job.status.conditions?.map((c) => `${c.type}/${c.reason}/${c.message}`),
      [
        'FailureTarget/BackoffLimitExceeded/Job has reached the specified backoff limit',
        'Failed/BackoffLimitExceeded/Job has reached the specified backoff limit',
      ],
    );
    const described = ok(['describe', 'job', 'broken']);
    assert.match(
      described,
      /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/,
    );
  });

  it('rejects a Job whose pods would restart Always, as Kubernetes does', () => {
    const r = c.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: batch/v1
kind: Job
metadata: {name: forever}
spec:
  template:
    spec:
      containers: [{name: work, image: busybox:1.36}]
`,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.err, /spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/);
  });

  it('stops the pods of a suspended Job and runs them again when resumed', async () => {
    apply(fakeJob('paused', 0, '  suspend: true\n  parallelism: 2\n  completions: 2', 600_000));
    await waitUntil(
      'Suspended',
      30,
      () => tableRows(ok(['get', 'job', 'paused', '--no-headers']))[0]?.[1] === 'Suspended',
    );
    assert.equal(ok(['get', 'pods', '-l', 'job-name=paused', '-o', 'name']), '');
    ok(['patch', 'job', 'paused', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await waitUntil(
      '2 pods',
      30,
      () => ok(['get', 'pods', '-l', 'job-name=paused', '-o', 'name']).trim().split('\n').length === 2,
    );
    ok(['patch', 'job', 'paused', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await waitUntil('the pods deleted', 30, () => ok(['get', 'pods', '-l', 'job-name=paused', '-o', 'name']) === '');
    const reasons = ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=paused',
      '-o',
      'jsonpath={..reason}',
    ]);
    assert.match(reasons, /Resumed/);
    assert.match(reasons, /SuccessfulDelete/);
  });

  it('deletes a finished Job and its pods after ttlSecondsAfterFinished', async () => {
    apply(fakeJob('short-lived', 0, '  ttlSecondsAfterFinished: 1'));
    // It may be gone a second after it completes, before a `kubectl wait` on a busy machine
    // has started: its events (which outlive it) say that it completed first.
    await waitUntil('the Job gone', 30, () => c.kubectl(['get', 'job', 'short-lived']).code !== 0);
    await waitUntil('its pods gone', 30, () => ok(['get', 'pods', '-l', 'job-name=short-lived', '-o', 'name']) === '');
    const reasons = ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=Job,involvedObject.name=short-lived',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    assert.match(reasons, /\bCompleted\b/, `events of job/short-lived: ${reasons}`);
  });

  it('runs a CronJob on its schedule, and kubectl create job --from=cronjob', async () => {
    apply(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "@every 2s"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {fake.kube-workbench.io/exit-code: "0"}
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: busybox:1.36}]
`);
    const header = tableRows(ok(['get', 'cronjobs']))[0];
    assert.deepEqual(header, ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST', 'SCHEDULE', 'AGE']);
    const scheduled = await waitUntil('a scheduled run', 30, () =>
      ok(['get', 'jobs', '-o', 'name'])
        .split('\n')
        .find((n) => /^job\.batch\/report-\d+$/.test(n)),
    );
    ok(['wait', '--for=condition=complete', scheduled, '--timeout=60s']);
    await waitUntil('LAST SCHEDULE and lastSuccessfulTime', 30, () => {
      const status = JSON.parse(ok(['get', 'cronjob', 'report', '-o', 'jsonpath={.status}'])) as Record<string, string>;
      return status.lastScheduleTime !== undefined && status.lastSuccessfulTime !== undefined;
    });
    const [row] = tableRows(ok(['get', 'cj', 'report', '--no-headers']));
    assert.deepEqual(row?.slice(0, 4), ['report', '@every', '2s', '<none>']);
    ok(['patch', 'cronjob', 'report', '--type=merge', '-p', '{"spec":{"suspend":true}}']);

    assert.match(ok(['create', 'job', 'report-now', '--from=cronjob/report']), /job\.batch\/report-now created/);
    const manual = JSON.parse(ok(['get', 'job', 'report-now', '-o', 'json'])) as {
      metadata: { annotations: Record<string, string>; ownerReferences: { kind: string; name: string }[] };
    };
    assert.equal(manual.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(
      manual.metadata.ownerReferences.map((r) => `${r.kind}/${r.name}`),
      ['CronJob/report'],
    );
    ok(['wait', '--for=condition=complete', 'job/report-now', '--timeout=60s']);
    // Deleting the CronJob takes its Jobs along (the garbage collector follows the owner references).
    ok(['delete', 'cronjob', 'report']);
    await waitUntil('its Jobs gone', 30, () => !/report/.test(ok(['get', 'jobs', '-o', 'name'])));
  });
});

describe('Jobs on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });
  const ok = (args: string[], input?: string) => {
    const r = dc.kubectl(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.err}`);
    return r.out;
  };

  it('runs 3 completions 2 at a time in real containers; wait returns; kubectl logs job/NAME prints the output', async () => {
    ok(
      ['apply', '-f', '-'],
      `apiVersion: batch/v1
kind: Job
metadata: {name: hello}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello
        image: ${dc.image}
        command: [sh, -c, 'echo done $HOSTNAME']
`,
    );
    ok(['wait', '--for=condition=complete', 'job/hello', '--timeout=120s']);
    const [row] = tableRows(ok(['get', 'job', 'hello', '--no-headers']));
    assert.deepEqual(row?.slice(0, 3), ['hello', 'Complete', '3/3']);
    const pods = tableRows(ok(['get', 'pods', '-l', 'job-name=hello', '--no-headers']));
    assert.equal(pods.length, 3);
    for (const pod of pods) assert.equal(pod[2], 'Completed');
    assert.match(ok(['logs', 'job/hello']), /^done \S+\n$/);
    for (const [name] of pods) assert.match(ok(['logs', name!]), /^done \S+\n$/);
    // The containers stay, stopped, for their logs until the pods are deleted (with the Job).
    const kept = await dc.containers({ [LABEL.podName]: pods[0]![0]!, [LABEL.container]: 'hello' });
    assert.deepEqual(
      kept.map((c) => c.state),
      ['exited'],
    );
    ok(['delete', 'job', 'hello']);
    await eventually('the pods and their containers gone', 60, async () => {
      const left = await dc.containers({ [LABEL.container]: 'hello' });
      return ok(['get', 'pods', '-o', 'name']) === '' && left.length === 0;
    });
  });

  it('fails a Job whose container exits 1 after backoffLimit 1: two pods, Failed/BackoffLimitExceeded', () => {
    ok(
      ['apply', '-f', '-'],
      `apiVersion: batch/v1
kind: Job
metadata: {name: fails}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: fails
        image: ${dc.image}
        command: [sh, -c, 'echo trying; exit 1']
`,
    );
    ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=120s']);
    const job = JSON.parse(ok(['get', 'job', 'fails', '-o', 'json'])) as JobView;
    assert.equal(job.status.failed, 2);
    assert.equal(job.status.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
    const pods = tableRows(ok(['get', 'pods', '-l', 'job-name=fails', '--no-headers']));
    assert.deepEqual(
      pods.map((p) => p[2]),
      ['Error', 'Error'],
    );
    assert.equal(ok(['logs', pods[0]![0]!]), 'trying\n');
  });
});
