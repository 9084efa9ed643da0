import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/kube-object.js';
import { isReadyPod, newestReady, selectorQuery, targetText } from './forward-target.js';

const pod = (name: string, created: string, ready: boolean, deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, creationTimestamp: created, ...(deleting ? { deletionTimestamp: created } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('forward targets', () => {
  it('turns a workload selector into the API’s labelSelector', () => {
    assert.equal(
      selectorQuery({
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'team', operator: 'Exists' },
        ],
      }),
      'app=web,tier=front,env in (a,b),!canary,zone notin (x),team',
    );
    assert.equal(selectorQuery({}), undefined);
    assert.equal(selectorQuery(undefined), undefined);
  });

  it('picks the newest ready pod that is not being deleted (the one a rollout just made)', () => {
    const old = pod('web-old', '2026-01-01T00:00:00Z', true);
    const fresh = pod('web-new', '2026-01-02T00:00:00Z', true);
    const starting = pod('web-starting', '2026-01-03T00:00:00Z', false);
    const leaving = pod('web-leaving', '2026-01-04T00:00:00Z', true, true);
    assert.equal(isReadyPod(starting), false);
    assert.equal(isReadyPod(leaving), false);
    assert.equal(newestReady([old, fresh, starting, leaving])?.metadata?.name, 'web-new');
    assert.equal(newestReady([starting]), undefined);
    assert.equal(
      targetText({ kind: 'Deployment', namespace: 'default', name: 'web', port: 80 }),
      'default/deployment/web:80',
    );
  });
});
