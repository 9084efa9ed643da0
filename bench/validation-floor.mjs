// The floor under per-document validation (issue #18 rows 1 and 3): warm, in one
// process, per document, for 1,000 Deployments and 1,000 corpus documents:
// the `yaml` package's own parse alone, our fast-path parse alone, the schema
// walk and rules (diagnostics of parsed documents) and both together, each the
// median of several alternating passes. A fresh parse per pass (no cache).
//   node --import tsx bench/validation-floor.mjs [passes]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { parseAllDocuments } from 'yaml';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';
import { parseManifestFile } from '../server/src/document/manifest-file.ts';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { MANIFEST_YAML_OPTIONS } from '../server/src/document/yaml-options.ts';
import { computeDiagnostics } from '../server/src/features/diagnostics.ts';
import { loadSchemas } from '../server/kube-model/schema-loader.ts';
import { CrdRegistry } from '../server/src/schema/crd-registry.ts';

const passes = Number(process.argv[2] ?? 7);
const options = { schemas: loadSchemas(), crds: new CrdRegistry(), disabledRules: new Set() };

for (const [name, text] of [
  ['1,000 Deployments', deploymentsFile(1000)],
  ['1,000 corpus documents', bigManifest(1000)],
]) {
  const chunks = splitDocuments(text).map((c) => c.text);
  const n = chunks.length;
  const times = { yaml: [], fast: [], diagnostics: [], total: [] };
  for (let p = 0; p < passes; p++) {
    let t = performance.now();
    for (const c of chunks) parseAllDocuments(c, MANIFEST_YAML_OPTIONS);
    times.yaml.push(performance.now() - t);
    t = performance.now();
    const file = parseManifestFile(text);
    const parsed = performance.now();
    times.fast.push(parsed - t);
    computeDiagnostics(file, options);
    const done = performance.now();
    times.diagnostics.push(done - parsed);
    times.total.push(done - t);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const us = (xs) => `${((med(xs) * 1000) / n).toFixed(0)} µs`;
  console.log(
    `${name} (${n} documents), per document, median of ${passes}: yaml package parse alone ${us(times.yaml)}; ` +
      `ours: parse ${us(times.fast)}, schema walk and rules ${us(times.diagnostics)}, together ${us(times.total)} ` +
      `(${Math.round((n * 1000) / med(times.total))} docs/s)`,
  );
}
