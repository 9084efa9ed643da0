// The floor under `validate` on many files (issue #18, row 3): what a process that
// does only part of the work costs on this machine, each in its own process (start
// included), alternated with the whole `validate` (ours and the build before) in the
// same run, on the bench's many-files case (the corpus copied 25 times):
//   node start   `node -e 0`
//   list+read    walk the folders (one listing each) and read every .yaml/.yml file
//                (`readFileSync`, UTF-8 checked and decoded), nothing else
//   +parse       the same, then each file cut into documents and each document
//                parsed as validate parses it (our fast YAML path; the `yaml` package
//                for a document off it), no checks
//   +compact scan the same, but each document scanned into a compact tree of typed
//                arrays (bench/lib/compact-scan.ts, session 16) and parsed as above only
//                when the scan leaves it; `+read` also visits every node of the tree
//                once (bench/lib/compact-read.ts: keys hashed, plain scalars typed);
//                `only`: a process without the parser (the documents the scan leaves are
//                not parsed); `+split` only cuts each file into its documents
// Each line: CPU seconds (user+sys), wall seconds, and documents per wall and per
// CPU second, median of the rounds. The two floors are bundled (esbuild) as the
// CLI is, so they run without tsx.
//   KW_BENCH_BASELINE=/work/baseline node --import tsx bench/validate-floor.mjs [rounds]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { writeCorpusCopies } from './validate-cli.bench.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const BASELINE = process.env.KW_BENCH_BASELINE ?? '/work/baseline';
const repo = resolve(import.meta.dirname, '..');

const WALK = `
import { readdirSync, readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
const YAML_NAME = /\\.ya?ml$/i;
export function eachFile(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = dir + '/' + entry.name;
    if (entry.isDirectory()) eachFile(path, visit);
    else if (entry.isFile() && YAML_NAME.test(entry.name)) {
      const bytes = readFileSync(path);
      visit(isUtf8(bytes) ? bytes.toString('utf8') : new TextDecoder().decode(bytes));
    }
  }
}
`;
const ENTRIES = {
  'list-read': `
import { eachFile } from './walk.mjs';
let files = 0, chars = 0;
eachFile(process.argv[2], (text) => { files++; chars += text.length; });
process.stdout.write(files + ' files, ' + chars + ' characters\\n');
`,
  parse: `
import { eachFile } from './walk.mjs';
import { splitDocuments } from ${JSON.stringify(join(repo, 'server/src/document/split-documents.ts'))};
import { parseChunk } from ${JSON.stringify(join(repo, 'server/src/document/manifest-file.ts'))};
let chunks = 0, docs = 0;
eachFile(process.argv[2], (text) => {
  for (const chunk of splitDocuments(text)) {
    chunks++;
    docs += parseChunk(chunk.text).docs.length;
  }
});
process.stdout.write(chunks + ' chunks, ' + docs + ' YAML documents\\n');
`,
  scan: `
import { eachFile } from './walk.mjs';
import { splitDocuments } from ${JSON.stringify(join(repo, 'server/src/document/split-documents.ts'))};
import { parseChunk } from ${JSON.stringify(join(repo, 'server/src/document/manifest-file.ts'))};
import { compactScan } from ${JSON.stringify(join(repo, 'bench/lib/compact-scan.ts'))};
import { compactRead } from ${JSON.stringify(join(repo, 'bench/lib/compact-read.ts'))};
const mode = process.argv[3] ?? '';
let chunks = 0, nodes = 0, left = 0, sum = 0;
eachFile(process.argv[2], (text) => {
  for (const chunk of splitDocuments(text)) {
    chunks++;
    if (mode === 'split') continue;
    const count = compactScan(chunk.text);
    if (count < 0) {
      left++;
      parseChunk(chunk.text);
    } else {
      nodes += count;
      if (mode === 'read') sum += compactRead(chunk.text);
    }
  }
});
process.stdout.write(chunks + ' chunks, ' + nodes + ' compact nodes, ' + left + ' left to the parser (' + sum + ')\\n');
`,
  'scan-only': `
import { eachFile } from './walk.mjs';
import { splitDocuments } from ${JSON.stringify(join(repo, 'server/src/document/split-documents.ts'))};
import { compactScan } from ${JSON.stringify(join(repo, 'bench/lib/compact-scan.ts'))};
import { compactRead } from ${JSON.stringify(join(repo, 'bench/lib/compact-read.ts'))};
const read = process.argv[3] === 'read';
let chunks = 0, nodes = 0, left = 0, sum = 0;
eachFile(process.argv[2], (text) => {
  for (const chunk of splitDocuments(text)) {
    chunks++;
    const count = compactScan(chunk.text);
    if (count < 0) left++;
    else {
      nodes += count;
      if (read) sum += compactRead(chunk.text);
    }
  }
});
process.stdout.write(chunks + ' chunks, ' + nodes + ' compact nodes, ' + left + ' left unparsed (' + sum + ')\\n');
`,
};

const dir = mkdtempSync(join(tmpdir(), 'kw-validate-floor-'));
try {
  const many = join(dir, 'many');
  const documents = writeCorpusCopies(many, 25);
  writeFileSync(join(dir, 'walk.mjs'), WALK);
  const floors = {};
  for (const [name, source] of Object.entries(ENTRIES)) {
    writeFileSync(join(dir, `${name}.mjs`), source);
    const outfile = join(dir, `${name}.cjs`);
    await build({
      entryPoints: [join(dir, `${name}.mjs`)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    floors[name] = [outfile, many];
  }
  const ours = join(repo, 'scripts', 'kube-workbench.js');
  const anchor = join(BASELINE, 'scripts', 'kube-workbench.js');
  const sides = {
    'node start': ['-e', '0'],
    'list+read': floors['list-read'],
    '+split': [...floors.scan, 'split'],
    '+parse': floors.parse,
    '+compact scan only': floors['scan-only'],
    '+compact scan+read only': [...floors['scan-only'], 'read'],
    '+compact scan': floors.scan,
    '+compact scan+read': [...floors.scan, 'read'],
    'validate, ours': [ours, 'validate', '--format', 'json', many],
    ...(existsSync(anchor) ? { 'validate, build before': [anchor, 'validate', '--format', 'json', many] } : {}),
  };
  const results = {};
  for (let round = 0; round < ROUNDS; round++)
    for (const [side, args] of Object.entries(sides)) {
      const r = timed(args);
      // What each floor did (files, documents, nodes), once.
      if (round === 0 && !side.startsWith('validate')) console.log(`  ${side}: ${r.stdout.trim()}`);
      (results[side] ??= []).push(r);
    }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${documents} documents; ${ROUNDS} rounds, alternating; load ${load()} at the end`);
  for (const [side, runs] of Object.entries(results)) {
    const cpu = median(runs.map((r) => r.cpu));
    const wall = median(runs.map((r) => r.wall));
    const rates = side === 'node start' ? '' : `; ${rate(documents / wall)} docs/s, ${rate(documents / cpu)} per CPU s`;
    console.log(
      `  ${side.padEnd(24)} CPU ${runs.map((r) => r.cpu.toFixed(2)).join(' / ')} s, wall ${runs
        .map((r) => r.wall.toFixed(2))
        .join(' / ')} s, ${median(runs.map((r) => r.rss))} MiB${rates}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function timed(args) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 512 << 20,
  });
  const wall = (performance.now() - started) / 1000;
  const m = /maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: Number(m[2]) + Number(m[3]), rss: Math.round(Number(m[1]) / 1024), stdout: r.stdout ?? '' };
}

function rate(value) {
  return Math.round(value).toLocaleString('en');
}

function load() {
  return spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');
}
