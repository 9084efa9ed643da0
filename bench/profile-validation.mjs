// Profiles the per-document validation core in-process: parse and diagnostics of
// one file of 1,000 Deployments and of the corpus file (bench/lib/big-manifest.mjs),
// first pass (what a user opening the file waits for) and warm passes. Writes a
// CPU profile of the timed region and prints the heaviest functions and files.
//   node --import tsx bench/profile-validation.mjs [passes] [deployments|corpus]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';
import { parseManifestFile } from '../server/src/document/manifest-file.ts';
import { computeDiagnostics } from '../server/src/features/diagnostics.ts';
import { loadSchemas } from '../server/kube-model/schema-loader.ts';
import { CrdRegistry } from '../server/src/schema/crd-registry.ts';

const passes = Number(process.argv[2] ?? 1);
const which = process.argv[3] ?? 'deployments';
const text = which === 'corpus' ? bigManifest(1000) : deploymentsFile(1000);
const schemas = loadSchemas();
const crds = new CrdRegistry();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
for (let i = 0; i < passes; i++) {
  const started = performance.now();
  const file = parseManifestFile(text);
  const parsed = performance.now();
  const diagnostics = computeDiagnostics(file, { schemas, crds, disabledRules: new Set() });
  const done = performance.now();
  console.log(
    `pass ${i + 1}: parse ${(parsed - started).toFixed(1)} ms, diagnostics ${(done - parsed).toFixed(1)} ms (${diagnostics.length})`,
  );
}
const { profile } = await session.post('Profiler.stop');
const out = `test-results/validation-${which}.cpuprofile`;
writeFileSync(out, JSON.stringify(profile));
summarize(profile);
console.log(`profile: ${out}`);

function summarize(prof) {
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const frame = nodes.get(id).callFrame;
    const file = frame.url.replace(/\?.*$/, '').split('/').slice(-2).join('/') || frame.functionName;
    const fn = `${frame.functionName || '(anonymous)'} ${file.slice(0, 60)}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    byFile.set(file.slice(0, 60), (byFile.get(file.slice(0, 60)) ?? 0) + dt);
  });
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .forEach(([k, v]) => console.log(`${(v / 1000).toFixed(1).padStart(9)} ms  ${k}`));
  console.log(`sampled ${(total / 1000).toFixed(0)} ms; by file:`);
  top(byFile, 20);
  console.log('by function:');
  top(byFunction, 30);
}
