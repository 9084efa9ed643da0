import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../store/errors';
import { booleanParam, checkQueryParams } from './query-params';

const check = (query: string) => () => checkQueryParams(new URLSearchParams(query));
const rejects = (query: string, message: RegExp) =>
  assert.throws(check(query), (e: unknown) => e instanceof StatusError && e.code === 400 && message.test(e.message));

describe('query parameters', () => {
  it('accepts what kubectl, client-go and client-node send', () => {
    for (const q of [
      'limit=500',
      'watch=true&timeoutSeconds=300&allowWatchBookmarks=true&resourceVersion=0',
      'watch=1&resourceVersion=12345',
      'gracePeriodSeconds=0&propagationPolicy=Background',
      'follow=true&tailLines=10&timestamps=false',
      'continue=&limit=',
      'fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
    ]) {
      assert.doesNotThrow(check(q), q);
    }
  });

  it('rejects integers that are not whole int64 numbers, as Kubernetes decodes them', () => {
    rejects('limit=abc', /^limit: strconv\.ParseInt: parsing "abc": invalid syntax$/);
    rejects('timeoutSeconds=1.5', /^timeoutSeconds: strconv\.ParseInt/);
    rejects('gracePeriodSeconds=1e3', /^gracePeriodSeconds: /);
    rejects('tailLines=99999999999999999999', /^tailLines: /);
  });

  it('rejects booleans, resource versions and continue tokens it cannot read', () => {
    rejects('watch=yes', /^watch: strconv\.ParseBool: parsing "yes"/);
    rejects('resourceVersion=-1', /^invalid resource version "-1"/);
    rejects('continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', /^continue key is not valid/);
  });

  it('reads the true spellings of a boolean and nothing else', () => {
    for (const v of ['1', 't', 'true', 'True', 'TRUE'])
      assert.equal(booleanParam(new URLSearchParams(`watch=${v}`), 'watch'), true);
    for (const v of ['0', 'false', '']) assert.equal(booleanParam(new URLSearchParams(`watch=${v}`), 'watch'), false);
    assert.equal(booleanParam(new URLSearchParams(''), 'watch'), false);
  });
});
