/**
 * reparseManifestFile after random edits (characters typed and deleted, lines inserted, markers
 * added and removed, comment-only documents, lone CRs) gives the chunks a fresh parse gives, each
 * with the parse of exactly its text, and reuses the parses of the chunks the edit did not touch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkCache, parseManifestFile } from './document/manifest-file.js';
import type { ManifestFile } from './document/manifest-file.js';
import { reparseManifestFile } from './reparse-manifest-file.js';
import { seeded } from './test-support/seeded-random.js';

const PIECES = ['x', '\n', '---\n', '\n---', '# note\n', '%YAML 1.2\n', ': ', '  ', '\r', '---', '-', '{{ x }}', ''];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const removed = next() < 0.4 ? Math.floor(next() * 40) : 0;
  const piece = PIECES[Math.floor(next() * PIECES.length)] ?? '';
  return text.slice(0, at) + piece + text.slice(at + removed);
}

function shape(file: ManifestFile): unknown {
  return {
    text: file.text,
    templated: file.templated,
    chunks: file.chunks.map(({ chunk, parsed }) => ({ ...chunk, parsed: parsed.text })),
  };
}

const BASE = Array.from(
  { length: 40 },
  (_, i) => `# doc ${i}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "v${i}"\n`,
).join('---\n');

describe('reparseManifestFile', () => {
  it('gives what a fresh parse gives after every edit of a sequence', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = seeded(seed);
      const cache = new ChunkCache();
      let text = BASE;
      let file = parseManifestFile(text, cache);
      for (let step = 0; step < 30; step++) {
        text = edit(text, next);
        const again = reparseManifestFile(text, file, cache);
        assert.deepEqual(shape(again), shape(parseManifestFile(text)), `seed ${seed}, step ${step}`);
        for (const { chunk, parsed } of again.chunks) assert.equal(parsed.text, chunk.text);
        file = again;
      }
    }
  });

  it('reuses the parses of the chunks before and after the edit', () => {
    const cache = new ChunkCache();
    const file = parseManifestFile(BASE, cache);
    const at = BASE.indexOf('v20');
    const edited = `${BASE.slice(0, at)}value-20${BASE.slice(at + 3)}`;
    const again = reparseManifestFile(edited, file, cache);
    const same = again.chunks.filter(({ parsed }, i) => parsed === file.chunks[i]?.parsed).length;
    assert.equal(same, file.chunks.length - 1);
    assert.notEqual(again.chunks[20]?.parsed, file.chunks[20]?.parsed);
  });
});
