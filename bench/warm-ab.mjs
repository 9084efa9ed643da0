// Warm parse and diagnostics of one file, builds alternating pass by pass in one
// process (as validation-core's --warm does), with the CPU time of each pass
// (process.cpuUsage: less distorted than wall time on a busy machine) and more passes.
// Prints, per build, the minimum and median of wall and CPU time of a pass.
//   node --import tsx bench/warm-ab.mjs deployments|corpus|written PASSES ROOT...
// e.g. `... deployments 30 . /work/baseline` (each ROOT a checkout with schemas built).
// (not a *.bench.mjs: `npm run bench` does not run it).
import { resolve } from 'node:path';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';
import { corpusAsWritten } from './lib/corpus-as-written.mjs';
import { validationCoreOf } from './lib/validation-core-of.mjs';

const which = process.argv[2] ?? 'deployments';
const passes = Number(process.argv[3] ?? 30);
const roots = process.argv.slice(4).map((r) => resolve(r));
const WARM_UP = 3;

const text = which === 'corpus' ? bigManifest(1000) : which === 'written' ? corpusAsWritten() : deploymentsFile(1000);

async function validator(root) {
  const { parseManifestFile, computeDiagnostics, options } = await validationCoreOf(root);
  return () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const diagnostics = computeDiagnostics(parseManifestFile(text), options);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpu: (used.user + used.system) / 1000, found: diagnostics.length };
  };
}

const builds = [];
for (const root of roots) builds.push(await validator(root));
const results = roots.map(() => ({ ms: [], cpu: [], found: 0 }));
for (let pass = 0; pass < passes + WARM_UP; pass++) {
  // Who goes first turns with each pass.
  for (let k = 0; k < builds.length; k++) {
    const b = (k + pass) % builds.length;
    const r = builds[b]();
    if (pass >= WARM_UP) {
      results[b].ms.push(r.ms);
      results[b].cpu.push(r.cpu);
    }
    results[b].found = r.found;
  }
}
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
for (let b = 0; b < roots.length; b++) {
  const { ms, cpu, found } = results[b];
  console.log(
    `${which} ${roots[b]}: wall min ${quantile(ms, 0).toFixed(1)} median ${quantile(ms, 0.5).toFixed(1)} ms; ` +
      `CPU min ${quantile(cpu, 0).toFixed(1)} median ${quantile(cpu, 0.5).toFixed(1)} ms; ${found} diagnostics`,
  );
}
