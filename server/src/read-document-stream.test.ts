import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { splitDocuments } from './document/split-documents.js';
import { readDocumentStream } from './read-document-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'kw-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Buffer | string): string => {
  const path = join(dir, `f${n++}.yaml`);
  writeFileSync(path, bytes);
  return path;
};
const streamed = (path: string, block?: number): { text: string; startLine: number }[] =>
  [...readDocumentStream(path, block)].map((d) => ({ text: d.text, startLine: d.startLine }));

const TEXTS = [
  'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n---\n# only a comment\n---\nkind: Pod\n',
  '%YAML 1.1\n---\na: 1\n--- # c\nb: 2\n----\nc: 3\n---x\n---\n',
  'a: 1\r\n---\r\nb: "é ünï 😀"\r\n---\r\nc: 3',
  '---\na: 1\n---\n---\n\n\nb: 2\n...\n---\n',
];

describe('reading a file as a stream of documents', () => {
  it('cuts the documents splitDocuments cuts, at the same lines, whatever the block size', () => {
    for (const text of TEXTS) {
      const expected = splitDocuments(text).map((c) => ({ text: c.text, startLine: c.startLine }));
      const path = file(text);
      for (const block of [1, 2, 3, 5, 7, 64, 1 << 20])
        assert.deepEqual(streamed(path, block), expected, `${block}: ${text}`);
    }
  });

  it('reads lines ended by a lone CR as the editor does', () => {
    const docs = streamed(file('a: 1\r---\rb: 2\r'), 3);
    assert.deepEqual(docs, [
      { text: 'a: 1\n', startLine: 0 },
      { text: '---\nb: 2\n', startLine: 1 },
    ]);
  });

  it('decodes UTF-16 with a byte order mark (LE and BE) and skips a UTF-8 one', () => {
    const text = 'a: é\n---\nb: 😀\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const expected = [
      { text: 'a: é\n', startLine: 0 },
      { text: '---\nb: 😀\n', startLine: 1 },
    ];
    for (const bytes of [le, be, utf8])
      for (const block of [1, 3, 1024]) assert.deepEqual(streamed(file(bytes), block), expected);
  });

  it('places bytes that are not UTF-8 in the document that holds them, named as go-yaml names them', () => {
    const bytes = Buffer.concat([
      Buffer.from('a: 1\n---\nb: x'),
      Buffer.from([0xff]), // a byte that never leads
      Buffer.from('y\nc: '),
      Buffer.from([0xc3, 0x28]), // a lead byte and no continuation
      Buffer.from('\nd: é\n'),
      Buffer.from([0xe2, 0x82]), // cut by the end of the file
    ]);
    for (const block of [1, 2, 4, 1024]) {
      const docs = [...readDocumentStream(file(bytes), block)];
      assert.equal(docs.length, 2);
      assert.deepEqual(docs[0]?.problems, []);
      const second = docs[1];
      assert.ok(second);
      assert.deepEqual(
        second.problems.map((p) => [second.text.slice(0, p.offset).split('\n').length - 1, p.message]),
        [
          [1, 'invalid leading UTF-8 octet'],
          [2, 'invalid trailing UTF-8 octet'],
          [4, 'incomplete UTF-8 octet sequence'],
        ],
        `block ${block}`,
      );
      assert.match(second.text, /^---\nb: x\ufffdy\nc: \ufffd\(\nd: é\n\ufffd$/);
    }
  });
});
