// The fast YAML parser against the `yaml` package, compared by what a user sees:
// the diagnostics (message, code, range, severity, order) of every corpus file and
// of the generated multi-line flow documents, once with each chunk parsed by the
// fast path (where it takes it) and once with every chunk parsed by the `yaml`
// package. Catches any difference the parse-tree comparison
// (fast-parse-documents.test.ts) could miss.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadSchemas } from '../../server/kube-model/schema-loader.js';
import { EDGE_CASES, MUST_TAKE_FAST_PATH } from '../../server/src/document/fast-yaml/edge-cases.js';
import { fastParseDocuments } from '../../server/src/document/fast-yaml/fast-parse-documents.js';
import { flowCases } from '../../server/src/document/fast-yaml/flow-edge-cases.js';
import { parseManifestFile } from '../../server/src/document/manifest-file.js';
import type { ManifestFile } from '../../server/src/document/manifest-file.js';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/document/yaml-options.js';
import { computeDiagnostics } from '../../server/src/features/diagnostics.js';
import { CrdRegistry } from '../../server/src/schema/crd-registry.js';
import { corpusAvailable, corpusFiles, readCorpusFile } from './support/corpus.js';

const options = { schemas: loadSchemas(), crds: new CrdRegistry(), disabledRules: new Set<string>() };

/** The same file with every chunk parsed by the `yaml` package (fresh memo, so nothing computed is shared). */
function viaYamlPackage(file: ManifestFile): ManifestFile {
  return {
    ...file,
    chunks: file.chunks.map(({ chunk, parsed }) => ({
      chunk,
      parsed: { ...parsed, docs: parseAllDocuments(parsed.text, MANIFEST_YAML_OPTIONS) as never, memo: new Map() },
    })),
  };
}

let findings = 0;

/** Compares both; returns how many chunks took the fast path. */
function compare(text: string, where: string): number {
  const file = parseManifestFile(text);
  const fast = file.chunks.filter(({ parsed }) => fastParseDocuments(parsed.text) !== undefined).length;
  if (fast === 0 || file.chunks.some(({ parsed }) => parsed.failure !== undefined)) return 0;
  const ours = computeDiagnostics(file, options);
  const theirs = computeDiagnostics(viaYamlPackage(parseManifestFile(text)), options);
  assert.deepEqual(ours, theirs, where);
  findings += ours.length;
  return fast;
}

describe('diagnostics through the fast YAML path equal those through the yaml package', () => {
  it('on every corpus file', { skip: !corpusAvailable() && 'corpus not present' }, () => {
    let fast = 0;
    for (const file of corpusFiles()) fast += compare(readCorpusFile(file), file);
    assert.ok(fast > 350, `only ${fast} chunks on the fast path`);
  });

  it('on the corpus files written as flow collections, with findings put in', { skip: !corpusAvailable() }, () => {
    const mutations: [RegExp, string][] = [
      [/name:/, 'nmae:'],
      [/"v1"/, '"v0"'],
      [/: (\d+)/, ': "x$1"'],
      [/: "([^"]*)"/, ': 1.5'],
      [/: (\d+)/, ': 1e400'],
      [/\{\n(\s*)/, '{\n$1__proto__: 1,\n$1'],
      [/"nginx"/, '"nginx:latest"'],
      [/kind: "(\w+)"/, 'kind: "$1List"'],
    ];
    let fast = 0;
    findings = 0;
    for (const file of corpusFiles()) {
      const text = readCorpusFile(file);
      if (!/[[{]\s*\n/.test(text)) continue;
      for (const [from, to] of mutations) fast += compare(text.replace(from, to), `${file} with ${String(from)}`);
      fast += compare(text.replace(/: "([^"]*)"/g, ': $1'), `${file} unquoted`);
    }
    assert.ok(fast > 100, `only ${fast} chunks on the fast path`);
    assert.ok(findings > 200, `only ${findings} findings compared`);
  });

  it('on multi-line flow collections and the other generated edge cases', () => {
    let fast = 0;
    const manifest = (body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: ${body}`;
    for (const text of [...flowCases(), ...EDGE_CASES, ...MUST_TAKE_FAST_PATH]) {
      fast += compare(text, JSON.stringify(text));
      fast += compare(manifest(text), JSON.stringify(manifest(text)));
    }
    assert.ok(fast > 1000, `only ${fast} chunks on the fast path`);
  });
});
