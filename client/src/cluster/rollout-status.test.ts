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
});
