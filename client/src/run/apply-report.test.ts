import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyReportLines, applySummary, deleteSummary } from './apply-report';
import { projectOnto } from './object-diff';

describe('apply report', () => {
  it('lists each object with its action, then the rollout', () => {
    const result = {
      applied: [
        { kind: 'Service', namespace: 'default', name: 'web', action: 'created' as const },
        { kind: 'Deployment', namespace: 'default', name: 'web', action: 'configured' as const },
      ],
      ready: true,
      rollouts: [
        {
          kind: 'Deployment',
          namespace: 'default',
          name: 'web',
          state: { phase: 'ready' as const, message: '3/3 ready' },
        },
      ],
    };
    assert.deepEqual(applyReportLines(result), [
      'Service default/web created',
      'Deployment default/web configured',
      'Deployment default/web: 3/3 ready',
    ]);
    assert.equal(applySummary(result), 'Applied (1 created, 1 configured); Deployment web 3/3 ready.');
  });

  it('names the failing reason and pod', () => {
    const state = {
      phase: 'failed' as const,
      reason: 'ImagePullBackOff',
      message: 'container web: ImagePullBackOff: not found',
      pod: 'web-1',
    };
    const result = {
      applied: [{ kind: 'Deployment', namespace: 'default', name: 'web', action: 'configured' as const }],
      ready: false,
      error: 'Deployment default/web: container web: ImagePullBackOff: not found (pod web-1)',
      rollouts: [{ kind: 'Deployment', namespace: 'default', name: 'web', state }],
    };
    assert.deepEqual(
      applyReportLines(result).at(-1),
      'Deployment default/web: container web: ImagePullBackOff: not found (pod web-1)',
    );
    assert.match(applySummary(result), /^Applied \(1 configured\), but: .*ImagePullBackOff/);
  });

  it('summarises a delete', () => {
    const summary = deleteSummary({
      deleted: [
        { kind: 'Deployment', namespace: 'default', name: 'web', found: true },
        { kind: 'Namespace', name: 'shop', found: false },
      ],
    });
    assert.equal(summary, 'Deleted Deployment default/web; not found: Namespace shop.');
  });

  it('cuts the live object down to the fields the manifest sets', () => {
    const live = {
      metadata: { name: 'web', uid: 'u', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        strategy: {},
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1', imagePullPolicy: 'IfNotPresent' }] } },
      },
      status: {},
    };
    const desired = {
      metadata: { name: 'web' },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    };
    assert.deepEqual(projectOnto(live, desired), {
      metadata: { name: 'web' },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
    });
  });
});
