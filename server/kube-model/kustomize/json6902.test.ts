import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../patch/patch-error';
import { applyJson6902, json6902Problem } from './json6902';

const cm = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' }, list: [1, 2, 3] });

/** The index of the operation a PatchError names. */
function failingOp(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PatchError, String(e));
    return e.op;
  }
  return assert.fail('expected a PatchError');
}

// The lenient cases are what `kubectl kustomize` (json-patch v4) did with the same operations.
describe('JSON 6902 patches as kustomize applies them', () => {
  it('applies every operation in order without touching the target', () => {
    const target = cm();
    const out = applyJson6902(target, [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'add', path: '/data/b~1c', value: 'slash' },
      { op: 'copy', from: '/data/a', path: '/data/copy' },
      { op: 'move', from: '/data/copy', path: '/data/moved' },
      { op: 'replace', path: '/list/0', value: 9 },
      { op: 'remove', path: '/list/1' },
      { op: 'add', path: '/list/-', value: 4 },
    ]);
    assert.deepEqual(out.data, { a: '1', 'b/c': 'slash', moved: '1' });
    assert.deepEqual(out.list, [9, 3, 4]);
    assert.deepEqual(target, cm());
  });

  it('follows json-patch v4: negative indexes, replace adding a missing key, add without a value', () => {
    const out = applyJson6902(cm(), [
      { op: 'replace', path: '/list/-1', value: 'last' },
      { op: 'add', path: '/list/-1', value: 'appended' },
      { op: 'replace', path: '/data/new', value: 'added' },
      { op: 'add', path: '/data/nothing' },
    ]);
    assert.deepEqual(out.list, [1, 2, 'last', 'appended']);
    assert.deepEqual(out.data, { a: '1', new: 'added', nothing: null });
  });

  it('names the failing operation', () => {
    assert.equal(
      failingOp(() =>
        applyJson6902(cm(), [
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'test', path: '/data/a', value: '2' },
        ]),
      ),
      1,
    );
    assert.equal(
      failingOp(() => applyJson6902(cm(), [{ op: 'remove', path: '/data/zz' }])),
      0,
    );
    assert.equal(
      failingOp(() => applyJson6902(cm(), [{ op: 'add', path: '/nope/x', value: 1 }])),
      0,
    );
    assert.equal(
      failingOp(() => applyJson6902(cm(), [{ op: 'add', path: '', value: {} }])),
      0,
    );
    assert.match(
      String(
        (() => {
          try {
            applyJson6902(cm(), [{ op: 'remove', path: '/data/zz' }]);
          } catch (e) {
            return (e as Error).message;
          }
          return '';
        })(),
      ),
      /^operation 0 \(remove \/data\/zz\)/,
    );
  });

  it('refuses what is not a list of operations, with the index', () => {
    assert.deepEqual(json6902Problem({ op: 'add' }), { message: 'a JSON 6902 patch is a list of operations' });
    assert.equal(json6902Problem([{ op: 'add', path: '/a' }, 'x'])?.op, 1);
    assert.equal(json6902Problem([{ op: 'bogus', path: '/a' }])?.op, 0);
    assert.equal(json6902Problem([{ op: 'move', path: '/a' }])?.op, 0);
    assert.equal(json6902Problem([{ op: 'add', path: 1 }])?.op, 0);
    assert.equal(json6902Problem([]), undefined);
  });

  it('refuses bad pointers, huge and fractional indexes, and a result that is not a map', () => {
    for (const path of ['data/a', '/data/a~2', '/list/1.5', '/list/1e400', '/list/99999999999999999999', '/list/4'])
      assert.equal(
        failingOp(() => applyJson6902(cm(), [{ op: 'replace', path, value: 1 }])),
        0,
        path,
      );
    assert.throws(() => applyJson6902(cm(), [{ op: 'replace', path: '', value: [1] }]), /not a map/);
  });

  it('refuses values nested too deeply before walking them', () => {
    let deep: unknown[] = [];
    const value = deep;
    for (let i = 0; i < 100_000; i++) deep = deep[0] = [];
    assert.throws(() => applyJson6902(cm(), [{ op: 'add', path: '/data/x', value }]), /patch nests deeper than 1000/);
  });

  it('keeps __proto__ as data and never reads inherited members', () => {
    const out = applyJson6902(cm(), [{ op: 'add', path: '/data/__proto__', value: { polluted: true } }]);
    assert.ok(Object.hasOwn(out.data as object, '__proto__'));
    assert.equal(Object.getPrototypeOf(out.data), Object.prototype);
    assert.equal(
      failingOp(() => applyJson6902(cm(), [{ op: 'add', path: '/data/constructor/x', value: 1 }])),
      0,
    );
    assert.equal(
      failingOp(() => applyJson6902(cm(), [{ op: 'remove', path: '/data/toString' }])),
      0,
    );
  });
});
