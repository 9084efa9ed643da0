// Where the per-document validation core allocates (issue #18): the sampling heap
// profiler, keeping the objects minor and major GCs collected, over three warm passes
// of parse and diagnostics of 1,000 Deployments or the 1,000-document corpus file.
// Prints bytes allocated per document in all and by function (inlined callees count
// as their caller).
//   node --import tsx bench/profile-allocation.mjs [deployments|corpus]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { Session } from 'node:inspector/promises';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';
import { parseManifestFile } from '../server/src/document/manifest-file.ts';
import { computeDiagnostics } from '../server/src/features/diagnostics.ts';
import { loadSchemas } from '../server/kube-model/schema-loader.ts';
import { CrdRegistry } from '../server/src/schema/crd-registry.ts';

const which = process.argv[2] ?? 'deployments';
const text = which === 'corpus' ? bigManifest(1000) : deploymentsFile(1000);
const options = { schemas: loadSchemas(), crds: new CrdRegistry(), disabledRules: new Set() };
const passes = 3;
let documents = 0;
let parseOnly = 0;
const run = () => {
  const file = parseManifestFile(text);
  documents = file.chunks.length;
  computeDiagnostics(file, options);
};
for (let i = 0; i < 3; i++) run();
const session = new Session();
session.connect();
const sampling = {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
};
await session.post('HeapProfiler.startSampling', sampling);
for (let i = 0; i < passes; i++) parseManifestFile(text);
const parsed = await session.post('HeapProfiler.stopSampling');
parseOnly = total(parsed.profile.head);
await session.post('HeapProfiler.startSampling', sampling);
for (let i = 0; i < passes; i++) run();
const { profile } = await session.post('HeapProfiler.stopSampling');
const perDoc = (bytes) => `${((bytes / passes / documents) | 0).toLocaleString('en')} B`;
console.log(`${which}: ${perDoc(total(profile.head))} per document parsed and checked, ${perDoc(parseOnly)} parsed`);
const byFunction = new Map();
(function walk(node) {
  const frame = node.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/').slice(0, 60)}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
  node.children.forEach(walk);
})(profile.head);
for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${perDoc(bytes).padStart(10)}  ${name}`);

function total(node) {
  return node.selfSize + node.children.reduce((sum, child) => sum + total(child), 0);
}
