import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyJsonPatch } from './json-patch';
import { PatchError } from './patch-error';
import { deployment } from './patch-test-support';

describe('JSON patch', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/a~1b', value: 'slash' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'third', image: 'x' } },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copy' },
      { op: 'move', from: '/metadata/finalizers', path: '/metadata/moved' },
    ]) as ReturnType<typeof deployment> & { metadata: { moved: string[] } };
    assert.equal(out.spec.replicas, 5);
    assert.deepEqual(out.metadata.labels, { app: 'web', 'a/b': 'slash', copy: 'web' });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['web', 'side', 'third'],
    );
    assert.deepEqual(out.metadata.moved, ['a']);
  });

  it('fails a test that does not hold, and a path that does not exist', () => {
    assert.throws(
      () => applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 3 }]),
      /testing value \/spec\/replicas failed/,
    );
    assert.throws(
      () => applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/nope/x', value: 1 }]),
      /does not exist/,
    );
  });
});

describe('JSON patch on hostile input', () => {
  const opIndex = (fn: () => unknown): number | undefined => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof PatchError, String(e));
      return e.op;
    }
    assert.fail('expected a PatchError');
  };

  it('names the index of the failing operation', () => {
    const ops = [
      { op: 'add', path: '/a', value: 1 },
      { op: 'remove', path: '/nope' },
    ];
    assert.equal(
      opIndex(() => applyJsonPatch({}, ops)),
      1,
    );
  });

  it('refuses bad pointers, fraction and huge indexes, leading zeros, missing fields and unknown ops', () => {
    const doc = { list: [1, 2, 3], m: { a: 1 } };
    for (const op of [
      { op: 'add', path: 'list/0', value: 1 },
      { op: 'add', path: '/m/a~2', value: 1 },
      { op: 'add', path: '/m/a~', value: 1 },
      { op: 'replace', path: '/list/1.5', value: 1 },
      { op: 'replace', path: '/list/1e400', value: 1 },
      { op: 'replace', path: '/list/99999999999999999999', value: 1 },
      { op: 'replace', path: '/list/01', value: 1 },
      { op: 'add', path: '/list/4', value: 1 },
      { op: 'remove', path: '/list/-' },
      { op: 'add', path: '/m/b' },
      { op: 'move', path: '/m/b' },
      { op: 'move', from: '/m', path: '/m/inner' },
      { op: 'frobnicate', path: '/m' },
      { op: 'add', path: 7, value: 1 },
      'not an object',
      null,
    ]) {
      assert.equal(
        opIndex(() => applyJsonPatch(doc, [op])),
        0,
        JSON.stringify(op),
      );
    }
    assert.throws(() => applyJsonPatch(doc, { op: 'add' }), PatchError);
  });

  it('reads ~0 and ~1 and never mutates its input', () => {
    const doc = { m: { 'a/b': 1, 'c~d': 2 }, list: [1] };
    const before = JSON.stringify(doc);
    const out = applyJsonPatch(doc, [
      { op: 'move', from: '/m/a~1b', path: '/m/x' },
      { op: 'copy', from: '/m/c~0d', path: '/list/0' },
      { op: 'add', path: '/list/-', value: { deep: [1] } },
    ]);
    assert.deepEqual(out, { m: { 'c~d': 2, x: 1 }, list: [2, 1, { deep: [1] }] });
    assert.equal(JSON.stringify(doc), before);
  });

  it('never reads inherited members on the way down', () => {
    assert.equal(
      opIndex(() => applyJsonPatch({ m: {} }, [{ op: 'add', path: '/m/constructor/name', value: 1 }])),
      0,
    );
    assert.equal(
      opIndex(() => applyJsonPatch({ list: [] }, [{ op: 'add', path: '/list/length/x', value: 1 }])),
      0,
    );
  });

  it('replaces the whole document at the empty pointer', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  });
});
