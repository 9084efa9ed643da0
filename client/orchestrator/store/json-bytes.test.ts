import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { jsonKey, NO_ROOM, UNUSUAL, writeJson } from './json-bytes';
import { encodeRecord } from './log-lines';
import type { WalRecord } from './stored-state';

/** Values a stored object can hold, the awkward ones included (as JSON.parse or a client could make them). */
function samples(): unknown[] {
  const nullProto = Object.create(null) as Record<string, unknown>;
  nullProto.b = 1;
  nullProto.a = [2];
  return [
    'plain',
    '',
    'quote " and backslash \\ and slash /',
    'k:{"uid":"075bda83-9686-456e-a890-dfeb194c1d2d"}',
    'controls \u0000 \u0001 \b \f \n \r \t \u001f \u007f',
    'non-ASCII é ü 日本 😀',
    'lone surrogates \ud800 x \udfff',
    'line separators \u2028 \u2029',
    0,
    -0,
    42,
    -7,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    0.1,
    -1.5e-7,
    NaN,
    Infinity,
    -Infinity,
    true,
    false,
    null,
    [],
    {},
    [1, 'a', null, undefined, () => 1, Symbol('s'), [[]], {}],
    { a: 1, skip: undefined, fn: () => 1, sym: Symbol('s'), [Symbol('key')]: 1, z: { y: [true] } },
    { 10: 'ten', 2: 'two', b: 'b', a: 'a', '-1': 'minus', 1.5: 'x' },
    JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"toString":"s"}') as unknown,
    nullProto,
    Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    Object.freeze({ frozen: Object.freeze(['x']) }),
    new Array(3),
    { metadata: { name: 'n', labels: { 'app.kubernetes.io/name': 'é' } }, spec: { replicas: 3 } },
  ];
}

describe('JSON written as bytes', () => {
  it('gives the bytes JSON.stringify gives, for every sample alone, nested in objects and in arrays', () => {
    const all = samples();
    const values = [...all, all, Object.fromEntries(all.map((v, i) => [`k${i}`, v])), { record: { o: all } }];
    const buf = Buffer.alloc(64 * 1024);
    for (const value of values) {
      const end = writeJson(value, buf, 5, buf.length);
      assert.ok(end >= 0, `written: ${String(JSON.stringify(value))}`);
      assert.equal(buf.toString('utf8', 5, end), JSON.stringify(value));
    }
  });

  it('writes nothing at or past the end it is given, and says when there is no room', () => {
    const value = { a: 'x"y', b: [1, 2.5, null, true], c: 'é😀', d: { e: 'f' } };
    const full = Buffer.from(JSON.stringify(value));
    for (let end = 0; end <= full.length + 4; end++) {
      const buf = Buffer.alloc(full.length + 16, 0xee);
      const result = writeJson(value, buf, 0, end);
      for (let i = end; i < buf.length; i++) assert.equal(buf[i], 0xee, `byte ${i} written with end ${end}`);
      if (result === NO_ROOM) assert.ok(end < full.length + 8, `no room with end ${end}`);
      else assert.equal(buf.toString('utf8', 0, result), full.toString());
    }
  });

  it('leaves what is not plain JSON data, and values nested past its stack, to JSON.stringify', () => {
    const buf = Buffer.alloc(1024);
    assert.equal(writeJson({ when: new Date(0) }, buf, 0, buf.length), UNUSUAL);
    assert.equal(writeJson({ n: 10n }, buf, 0, buf.length), UNUSUAL);
    assert.equal(
      writeJson(() => 1, buf, 0, buf.length),
      UNUSUAL,
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.ok([UNUSUAL, NO_ROOM].includes(writeJson(deep, Buffer.alloc(1 << 20), 0, 1 << 20)));
  });
});

describe('keys from JSON', () => {
  it('are equal exactly when the JSON texts are, large values and those left to JSON.stringify included', () => {
    const large = { items: Array.from({ length: 5000 }, (_, i) => ({ name: `item-${i}`, label: 'é😀' })) };
    const values = [
      ...samples(),
      'é',
      'Ã©',
      '!"x"',
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { when: new Date(0) },
      { when: '1970-01-01T00:00:00.000Z' },
      large,
      { ...large, more: 1 },
    ];
    for (const a of values)
      for (const b of values)
        assert.equal(
          jsonKey(a) === jsonKey(b),
          JSON.stringify(a) === JSON.stringify(b),
          `${String(JSON.stringify(a)).slice(0, 80)} against ${String(JSON.stringify(b)).slice(0, 80)}`,
        );
    assert.equal(jsonKey(structuredClone(large)), jsonKey(large));
  });
});

describe('log lines', () => {
  it('are JSON.stringify and a newline, lines in a row following each other in a chunk, large ones alone', () => {
    const big = 'x'.repeat(40_000);
    const records: WalRecord[] = [];
    for (let i = 0; i < 300; i++)
      records.push({
        rv: i + 1,
        r: '/pods',
        k: `default/p-${i}`,
        o:
          i % 50 === 7
            ? { apiVersion: 'v1', kind: 'Pod', metadata: { name: big } }
            : { apiVersion: 'v1', kind: 'Pod', metadata: { name: `é${i}` } },
      });
    records.push({ rv: 301, r: '/events', k: 'default/e', o: null }, { rv: 302, r: '/pods', k: 'd/p', b: 1, p: [] });
    let previous: Buffer | undefined;
    let following = 0;
    for (const record of records) {
      const line = encodeRecord(record);
      assert.equal(line.toString(), `${JSON.stringify(record)}\n`);
      if (previous && line.buffer === previous.buffer && line.byteOffset === previous.byteOffset + previous.length)
        following++;
      previous = line;
    }
    assert.ok(following > 250, `${following} lines followed the one before in its chunk`);
  });

  it('throws for a record JSON.stringify refuses, as before', () => {
    assert.throws(() => encodeRecord({ rv: 1, r: '/x', k: 'a/b', o: { n: 1n } as never }), TypeError);
  });
});
