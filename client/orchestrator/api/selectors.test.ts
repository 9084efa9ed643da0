import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { KubeObject } from '../store/object';
import { selectorFromQuery } from './selectors';

const pod = (name: string, labels: Record<string, string>, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: 'node-1' },
  status: { phase },
});

const pods = [
  pod('a', { app: 'web', tier: 'front' }),
  pod('b', { app: 'web', tier: 'back' }, 'Pending'),
  pod('c', { app: 'db' }),
];

function names(query: string): string[] {
  const match = selectorFromQuery(new URLSearchParams(query), { group: '', kind: 'Pod' });
  return pods.filter(match).map((p) => p.metadata.name!);
}

describe('selectors', () => {
  it('matches label equality, inequality, sets and existence', () => {
    assert.deepEqual(names('labelSelector=app%3Dweb'), ['a', 'b']);
    assert.deepEqual(names('labelSelector=app%3D%3Dweb,tier!%3Dfront'), ['b']);
    assert.deepEqual(names('labelSelector=tier in (front, back)'), ['a', 'b']);
    assert.deepEqual(names('labelSelector=app notin (web)'), ['c']);
    assert.deepEqual(names('labelSelector=tier'), ['a', 'b']);
    assert.deepEqual(names('labelSelector=!tier'), ['c']);
  });

  it('matches field selectors', () => {
    assert.deepEqual(names('fieldSelector=metadata.name%3Db'), ['b']);
    assert.deepEqual(names('fieldSelector=status.phase!%3DRunning'), ['b']);
    assert.deepEqual(names('fieldSelector=spec.nodeName%3Dnode-1,metadata.namespace%3Ddefault'), ['a', 'b', 'c']);
  });

  it('rejects what it cannot parse', () => {
    assert.throws(() => names('labelSelector=a b c'), /unable to parse requirement/);
    assert.throws(() => names('fieldSelector=spec.unknown%3Dx'), /^Error: field label not supported: spec.unknown$/);
    const deployments = (q: string) => selectorFromQuery(new URLSearchParams(q), { group: 'apps', kind: 'Deployment' });
    assert.throws(
      () => deployments('fieldSelector=status.phase%3DRunning'),
      /"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"/,
    );
    assert.doesNotThrow(() => deployments('fieldSelector=metadata.name%3Dweb'));
    assert.throws(
      () => names('labelSelector=a%3D%3Db%3D%3Dc'),
      /^Error: found '==', expected: ',' or 'end of string'$/,
    );
    assert.throws(() => names('labelSelector=a%3Db,'), /^Error: found '', expected: identifier after ','$/);
    assert.deepEqual(names('labelSelector=app in ()'), []);
    assert.deepEqual(names('labelSelector=app notin ()'), ['a', 'b', 'c']);
  });
});
