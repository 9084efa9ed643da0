// `npm run bench`: runs every bench/*.bench.mjs (or those named on the command
// line), each measuring our figure and an anchor tool's figure in the same run,
// and prints them side by side with the ratio. Results also go to
// test-results/bench.json for docs/BENCHMARKS.md.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`benchmarks on ${machine}, ${new Date().toISOString().slice(0, 10)}\n`);

const results = [];
for (const file of files) {
  const bench = await import(pathToFileURL(join(here, file)).href);
  console.log(`## ${bench.title}`);
  try {
    const rows = await bench.run();
    for (const row of rows) {
      results.push({ bench: bench.title, ...row });
      console.log(formatRow(row));
    }
  } catch (error) {
    console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  console.log('');
}

mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench.json', JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));

/**
 * A row: { metric, unit, ours, anchor, anchorName, better: 'lower'|'higher' }.
 * The ratio is how many times better we are (> 1 means we win).
 */
function formatRow({ metric, unit, ours, anchor, anchorName, better }) {
  const fmt = (v) => (v === undefined || v === null ? 'n/a' : `${round(v)} ${unit}`);
  let ratio = 'n/a';
  if (typeof ours === 'number' && typeof anchor === 'number' && ours > 0 && anchor > 0) {
    const r = better === 'higher' ? ours / anchor : anchor / ours;
    ratio = `${round(r)}x ${r >= 1 ? 'better' : 'worse'}`;
  }
  return `  ${metric.padEnd(46)} ours ${fmt(ours).padEnd(14)} ${anchorName.padEnd(24)} ${fmt(anchor).padEnd(14)} ratio ${ratio}`;
}

function round(v) {
  return v >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
}
