import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildRequestError, parseBuildEvent, parseBuildRequest } from './build-events';

describe('build request and events', () => {
  it('reads a request and keeps build arguments as plain strings', () => {
    const r = parseBuildRequest(
      '{"artifacts":[{"image":"localhost:5000/team/web","context":"app","dockerfile":"d/Dockerfile","buildArgs":{"A":"1"},"target":"dev"}]}',
    );
    assert.deepEqual(r.artifacts[0], {
      image: 'localhost:5000/team/web',
      context: 'app',
      dockerfile: 'd/Dockerfile',
      buildArgs: { A: '1' },
      target: 'dev',
    });
  });

  it('refuses hostile requests naming the field at fault', () => {
    const cases: [string, RegExp][] = [
      ['[1', /not JSON/],
      ['[]', /must be a JSON object/],
      ['{"artifacts":{}}', /artifacts: must be an array/],
      ['{"artifacts":[{"image":"Web:1","context":"."}]}', /artifacts\[0\]\.image/],
      ['{"artifacts":[{"image":"web","context":""}]}', /artifacts\[0\]\.context/],
      ['{"artifacts":[{"image":"web","context":".","buildArgs":{"A":1.5}}]}', /buildArgs\.A: must be a string/],
      ['{"artifacts":[{"image":"web","context":".","buildArgs":{"a b":"x"}}]}', /not a build argument name/],
      ['{"artifacts":[{"image":"web","context":".","extra":1}]}', /artifacts\[0\]\.extra: unknown field/],
      ['{"artifacts":[{"image":"web","context":"a\\u0000b"}]}', /NUL/],
      ['{"artifacts":[{"image":"web","context":"."},{"image":"web","context":"b"}]}', /built twice/],
      [`{"artifacts":[${'{"image":"web","context":"."},'.repeat(101)}1]}`, /more than 100/],
    ];
    for (const [json, message] of cases)
      assert.throws(
        () => parseBuildRequest(json),
        (e: unknown) => e instanceof BuildRequestError && message.test(e.message),
        json,
      );
    const proto = parseBuildRequest('{"artifacts":[{"image":"web","context":".","buildArgs":{"__proto__":"x"}}]}');
    assert.equal(Object.getPrototypeOf(proto.artifacts[0]!.buildArgs), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });

  it('reads events and skips lines that are not events', () => {
    assert.deepEqual(parseBuildEvent('{"type":"result","ok":true,"images":{"web":"web:kw-1","bad":3}}'), {
      type: 'result',
      ok: true,
      images: { web: 'web:kw-1' },
    });
    assert.equal(parseBuildEvent('warning: not json'), undefined);
    assert.equal(parseBuildEvent('{"type":"nope","image":"x"}'), undefined);
    assert.equal(parseBuildEvent('{"type":"step"}'), undefined);
  });
});
