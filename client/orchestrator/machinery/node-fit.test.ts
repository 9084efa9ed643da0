import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { KubeObject } from '../store/object';
import { matchesTerm } from './node-fit';

describe('node fit', () => {
  it('a node term on `constructor` matches only nodes with that label', () => {
    const node = (labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n', labels },
    });
    const term = { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] };
    assert.equal(matchesTerm(term, node({})), false);
    assert.equal(matchesTerm(term, node({ constructor: 'yes' })), true);
  });
});
