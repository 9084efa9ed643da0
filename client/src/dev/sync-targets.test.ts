import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/kube-object';
import { runningContainers } from './sync-targets';

const pod = (name: string, phase: string, containers: [string, string, boolean][], extra: object = {}): KubeObject => ({
  metadata: { name, namespace: 'dev', ...extra },
  spec: {
    containers: containers.map(([n, image]) => ({ name: n, image })),
    initContainers: [{ name: 'init', image: 'web:kw-1' }],
  },
  status: {
    phase,
    containerStatuses: containers.map(([n, , running]) => ({
      name: n,
      state: running ? { running: {} } : { waiting: {} },
    })),
  },
});

describe('sync targets', () => {
  it('keeps running containers of the image in Running pods that are not being deleted', () => {
    const pods = [
      pod('a', 'Running', [
        ['web', 'web:kw-1', true],
        ['sidecar', 'proxy:1', true],
      ]),
      pod('b', 'Running', [['web', 'web:kw-1', false]]), // restarting
      pod('c', 'Pending', [['web', 'web:kw-1', false]]),
      pod('d', 'Running', [['web', 'web:kw-0', true]]), // the previous build, rolling away
      pod('e', 'Running', [['web', 'web:kw-1', true]], { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      {
        metadata: { name: 'h' },
        spec: 'hostile',
        status: { phase: 'Running', containerStatuses: 'x' },
      } as unknown as KubeObject,
      {
        metadata: { name: 'g' },
        spec: { containers: [null, 7] },
        status: { phase: 'Running', containerStatuses: [null] },
      } as unknown as KubeObject,
      pod('f', 'Running', [['app', 'web:kw-1', true]]),
    ];
    assert.deepEqual(
      runningContainers(pods, (image) => image === 'web:kw-1'),
      [
        { namespace: 'dev', pod: 'a', container: 'web' },
        { namespace: 'dev', pod: 'f', container: 'app' },
      ],
    );
  });
});
