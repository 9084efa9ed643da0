import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeTree } from './fast-yaml/describe-tree.js';
import { parseManifestFile } from './manifest-file.js';
import type { ManifestFile } from './manifest-file.js';
import { parseManifestFileInSlices } from './parse-in-slices.js';
import { CORPUS, yamlFiles } from '../test-support/yaml-files.js';

/** What a parse holds: each chunk's place, text, failure and YAML trees with their ranges and errors. */
function describeFile(file: ManifestFile): unknown {
  return {
    text: file.text,
    templated: file.templated,
    chunks: file.chunks.map(({ chunk, parsed }) => ({
      chunk,
      failure: parsed.failure,
      docs: parsed.docs.map((doc) => ({ tree: describeTree(doc), errors: doc.errors.map((e) => [e.code, e.pos]) })),
    })),
  };
}

const deployments = (count: number): string =>
  Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  replicas: ${i % 3 === 0 ? 'three' : i}\n`,
  ).join('---\n');

describe('parseManifestFileInSlices', () => {
  it('gives what parseManifestFile gives, for every corpus file and odd input', async () => {
    const texts = [
      ...yamlFiles(CORPUS).map((path) => readFileSync(path, 'utf8')),
      deployments(300),
      'a: 1\r---\rb: [1,\r 2]\r',
      '---\n---\n# only comments\n---\nkey: {{ .Values.x }}\n',
      'a: b: c\n---\n{ unclosed\n---\n__proto__: {x: 1}\n',
      '',
    ];
    for (const text of texts) {
      // A zero budget yields before every document after the first: the most interleaving there can be.
      const sliced = await parseManifestFileInSlices(text, () => false, 0);
      assert.ok(sliced);
      assert.deepEqual(describeFile(sliced), describeFile(parseManifestFile(text)), text.slice(0, 200));
    }
  });

  it('lets queued work run between slices and stops once the result is not wanted', async () => {
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const whole = await parseManifestFileInSlices(deployments(50), () => false, 0);
    assert.equal(whole?.chunks.length, 50);
    assert.equal(ranBetween, true);

    let opened = false;
    setImmediate(() => (opened = true));
    assert.equal(await parseManifestFileInSlices(deployments(50), () => opened, 0), undefined);
  });
});
