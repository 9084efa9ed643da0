/**
 * extractResources remembers a chunk's entries by file and line (a chunk's parse is shared by every
 * place its text sits): the same chunk text at many lines of several files, in a random order of
 * files and edits that move it, gives the entries a fresh parse gives, with their own file and lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkCache, parseManifestFile } from '../document/manifest-file.js';
import { seeded } from '../test-support/seeded-random.js';
import { extractResources } from './extract-resources.js';

const SAME =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  labels:\n    __proto__: x\ndata:\n  k: "1.5"\n';

describe('extractResources', () => {
  it('gives the entries of a fresh parse when one chunk text sits at many places of several files', () => {
    const next = seeded(7);
    const cache = new ChunkCache();
    const files = ['file:///a.yaml', 'file:///b.yaml', 'file:///c%20d.yaml'];
    for (let step = 0; step < 300; step++) {
      const uri = files[Math.floor(next() * files.length)]!;
      // The shared text after 0-12 comment lines, a few times over: its places move from step to step.
      const copies = 1 + Math.floor(next() * 4);
      const text = Array.from({ length: copies }, () => '# note\n'.repeat(Math.floor(next() * 13)) + SAME).join(
        '---\n',
      );
      const got = extractResources(uri, parseManifestFile(text, cache));
      const expected = extractResources(uri, parseManifestFile(text));
      assert.deepStrictEqual(got, expected, `step ${step}`);
      assert.equal(got.length, copies);
      for (const r of got) assert.equal(r.uri, uri);
    }
  });
});
