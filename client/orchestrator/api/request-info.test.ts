import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { StatusError } from '../store/errors';
import { parseRequestPath, splitRequestTarget } from './request-info';

const status = (fn: () => unknown): [number, string] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return [error.code, error.message];
    throw error;
  }
  return [0, ''];
};

describe('request paths', () => {
  it('routes on raw segments: an encoded dot segment stays a name', () => {
    assert.deepEqual(
      status(() => parseRequestPath('/api/v1/namespaces/ns/configmaps/%2e%2e')),
      [400, `Name parameter invalid: "..": may not be '..'`],
    );
    assert.deepEqual(
      status(() => parseRequestPath('/api/v1/namespaces/ns/configmaps/a%2Fb')),
      [400, `Name parameter invalid: "a/b": may not contain '/'`],
    );
    assert.deepEqual(
      status(() => parseRequestPath('/api/v1/namespaces/%2e%2e/configmaps')),
      [404, 'namespaces ".." not found'],
    );
    assert.equal(status(() => parseRequestPath('/api/v1/namespaces/ns/configmaps/%zz'))[0], 400);
  });

  it('decodes each segment once', () => {
    assert.deepEqual(
      status(() => parseRequestPath('/api/v1/namespaces/ns/configmaps/a%252e')),
      [400, `Name parameter invalid: "a%2e": may not contain '%'`],
    );
    const ok = parseRequestPath('/apis/apps/v1/namespaces/default/deployments/web/scale');
    assert.deepEqual(ok, {
      type: 'resource',
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      resource: 'deployments',
      name: 'web',
      subresource: 'scale',
      watchPrefix: false,
    });
  });

  it('splits the query off without resolving the path', () => {
    const { path, query } = splitRequestTarget('/api/v1/namespaces/a/pods/%2e%2e/?watch=1&x=%2F');
    assert.equal(path, '/api/v1/namespaces/a/pods/%2e%2e');
    assert.equal(query.get('watch'), '1');
    assert.equal(query.get('x'), '/');
  });
});
