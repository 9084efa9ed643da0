import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolloutState } from './rollout-status';

const deployment = (status: Record<string, unknown>, replicas = 3) => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation: 2 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
  status: { observedGeneration: 2, ...status },
});
const rs = (hash: string, revision: string) => ({
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${hash}`,
    labels: { 'pod-template-hash': hash },
    annotations: { 'deployment.kubernetes.io/revision': revision },
  },
});
const pod = (hash: string, status: Record<string, unknown>) => ({
  kind: 'Pod',
  metadata: { name: `web-${hash}-x`, labels: { app: 'web', 'pod-template-hash': hash } },
  spec: { containers: [{ name: 'web', readinessProbe: { httpGet: { port: 80 } } }] },
  status,
});
const waiting = (reason: string, message = '') => ({
  phase: 'Pending',
  containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason, message } } }],
});

describe('rollout status', () => {
  it('is ready when every replica is updated and available', () => {
    const state = rolloutState(
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 }),
      [],
      [],
    );
    assert.deepEqual(state, { phase: 'ready', message: '3/3 ready' });
  });

  it('reports ImagePullBackOff of a pod of the current ReplicaSet with the pod name', () => {
    const state = rolloutState(
      deployment({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3 }),
      [rs('old', '1'), rs('new', '2')],
      [
        pod('old', { phase: 'Running' }),
        pod('new', waiting('ImagePullBackOff', 'Back-off pulling image "nginx:nope"')),
      ],
    );
    assert.deepEqual(state, {
      phase: 'failed',
      reason: 'ImagePullBackOff',
      message: 'container web: ImagePullBackOff: Back-off pulling image "nginx:nope"',
      pod: 'web-new-x',
    });
  });

  it('ignores a failing pod of an old ReplicaSet while the new one progresses', () => {
    const state = rolloutState(
      deployment({ replicas: 3, updatedReplicas: 1, availableReplicas: 0 }),
      [rs('old', '1'), rs('new', '2')],
      [pod('old', waiting('CrashLoopBackOff')), pod('new', { phase: 'Pending' })],
    );
    assert.equal(state.phase, 'progressing');
  });

  it('reports Unschedulable with the scheduler message', () => {
    const state = rolloutState(
      deployment({ replicas: 1 }, 1),
      [],
      [
        pod('h', {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/1 nodes are available: 1 Insufficient cpu.',
            },
          ],
        }),
      ],
    );
    assert.equal(state.phase, 'failed');
    assert.equal(state.phase === 'failed' && state.message, '0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('reports CrashLoopBackOff of a bare Pod and the progress deadline of a Deployment', () => {
    const crash = rolloutState(
      { ...pod('h', waiting('CrashLoopBackOff', 'back-off 10s restarting failed container')) },
      [],
      [],
    );
    assert.equal(crash.phase === 'failed' && crash.reason, 'CrashLoopBackOff');
    const stuck = rolloutState(
      deployment({
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      }),
      [],
      [],
    );
    assert.equal(stuck.phase === 'failed' && stuck.reason, 'ProgressDeadlineExceeded');
  });

  const statefulSet = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: 2 },
    spec: {
      replicas: 3,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...spec,
    },
    status: { observedGeneration: 2, currentRevision: 'db-a', updateRevision: 'db-b', ...status },
  });
  const member = (revision: string, status: Record<string, unknown>) => ({
    kind: 'Pod',
    metadata: { name: `db-${revision}`, labels: { 'controller-revision-hash': revision } },
    status,
  });

  it('waits for a StatefulSet until its controller saw the new generation', () => {
    const stale = rolloutState(statefulSet({ observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3 }), [], []);
    assert.equal(stale.phase, 'progressing');
    const fresh = rolloutState(statefulSet({ observedGeneration: undefined, readyReplicas: 0 }), [], []);
    assert.equal(fresh.phase, 'progressing');
  });

  it('has a StatefulSet ready once every replica is ready and the pods from the partition up are updated', () => {
    assert.equal(rolloutState(statefulSet({ readyReplicas: 3, updatedReplicas: 2 }), [], []).phase, 'progressing');
    assert.deepEqual(rolloutState(statefulSet({ readyReplicas: 3, updatedReplicas: 3 }), [], []), {
      phase: 'ready',
      message: '3/3 ready',
    });
    const partitioned = statefulSet(
      { readyReplicas: 3, updatedReplicas: 1 },
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
    );
    assert.equal(rolloutState(partitioned, [], []).phase, 'ready');
    assert.equal(rolloutState(statefulSet({ readyReplicas: 2, updatedReplicas: 3 }), [], []).phase, 'progressing');
  });

  it('without a partition, waits for the current revision of a StatefulSet to be the update revision', () => {
    const noPartition = { updateStrategy: { type: 'RollingUpdate' } };
    assert.equal(rolloutState(statefulSet({ readyReplicas: 3 }, noPartition), [], []).phase, 'progressing');
    const done = statefulSet({ readyReplicas: 3, currentRevision: 'db-b' }, noPartition);
    assert.equal(rolloutState(done, [], []).phase, 'ready');
    const onDelete = statefulSet({ readyReplicas: 3, updatedReplicas: 0 }, { updateStrategy: { type: 'OnDelete' } });
    assert.equal(rolloutState(onDelete, [], []).phase, 'ready');
  });

  it("reports a failing pod at a StatefulSet's update revision, not one at the old revision", () => {
    const set = statefulSet({ readyReplicas: 2, updatedReplicas: 0 });
    const old = member('db-a', waiting('CrashLoopBackOff'));
    assert.equal(rolloutState(set, [], [old]).phase, 'progressing');
    const state = rolloutState(set, [], [old, member('db-b', waiting('ErrImagePull', 'no such image'))]);
    assert.equal(state.phase === 'failed' && state.pod, 'db-db-b');
    assert.equal(state.phase === 'failed' && state.reason, 'ErrImagePull');
  });

  const daemonSet = (status: Record<string, unknown>) => ({
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: 2 },
    spec: { updateStrategy: { type: 'RollingUpdate' } },
    status: { observedGeneration: 2, desiredNumberScheduled: 3, ...status },
  });

  it('has a DaemonSet ready once every node runs an updated, available pod', () => {
    const counts = { numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 };
    assert.deepEqual(rolloutState(daemonSet(counts), [], []), { phase: 'ready', message: '3/3 available' });
    assert.equal(rolloutState(daemonSet({ ...counts, numberAvailable: 2 }), [], []).phase, 'progressing');
    assert.equal(rolloutState(daemonSet({ ...counts, updatedNumberScheduled: 2 }), [], []).phase, 'progressing');
    assert.equal(rolloutState(daemonSet({ ...counts, observedGeneration: 1 }), [], []).phase, 'progressing');
    assert.equal(
      rolloutState(daemonSet({ observedGeneration: undefined, desiredNumberScheduled: 0 }), [], []).phase,
      'progressing',
    );
    assert.equal(rolloutState(daemonSet({ desiredNumberScheduled: 0 }), [], []).phase, 'ready');
  });

  const job = (status: Record<string, unknown>, completions = 3) => ({
    kind: 'Job',
    metadata: { name: 'migrate' },
    spec: { completions, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } },
    status,
  });
  const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', reason, message });
  const jobPod = (name: string, status: Record<string, unknown>) => ({
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'migrate' }] },
    status,
  });

  it('has a Job ready once Complete, and failed with its reason once Failed', () => {
    const complete = job({
      succeeded: 3,
      conditions: [
        condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
        condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
      ],
    });
    assert.deepEqual(rolloutState(complete, [], []), { phase: 'ready', message: 'complete: 3/3 succeeded' });
    const successOnly = job({
      succeeded: 3,
      conditions: [condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods')],
    });
    assert.equal(rolloutState(successOnly, [], []).phase, 'progressing', 'not before the Complete condition');
    const failed = job({
      failed: 2,
      conditions: [
        condition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
        condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
      ],
    });
    assert.deepEqual(rolloutState(failed, [], []), {
      phase: 'failed',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
  });

  it('keeps a Job progressing through failed pods and crash loops (retries), but not an image it cannot pull', () => {
    const running = job({ active: 1, succeeded: 1, failed: 1 });
    const retries = [
      jobPod('migrate-a', { phase: 'Failed', reason: 'Error' }),
      jobPod('migrate-b', waiting('CrashLoopBackOff', 'back-off 10s restarting failed container')),
    ];
    assert.deepEqual(rolloutState(running, [], retries), {
      phase: 'progressing',
      message: '1/3 succeeded, 1 running, 1 failed',
    });
    const pull = jobPod('migrate-c', waiting('ImagePullBackOff', 'Back-off pulling image "127.0.0.1:9/none"'));
    const state = rolloutState(running, [], [...retries, pull]);
    assert.equal(state.phase, 'failed');
    assert.equal(state.phase === 'failed' && state.reason, 'ImagePullBackOff');
    assert.equal(state.phase === 'failed' && state.pod, 'migrate-c');
  });
});
