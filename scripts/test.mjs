// Runs the test suites named on the command line (unit, integration, e2e),
// prints each runner's own summary, and ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `concurrency`: test files run this many at a time, each in its own process. Every file makes
// its own temporary folders, listens on port 0 and labels the Docker objects of its clusters with
// the cluster's own id, so two files never share state; KW_TEST_CONCURRENCY overrides it (1 to
// run one file at a time, e.g. to see one file's output undisturbed).
const SUITES = {
  unit: {
    roots: ['server/kube-model', 'server/src', 'client/src', 'client/orchestrator', 'test/unit'],
    kind: 'node',
    concurrency: 2,
  },
  integration: { roots: ['test/integration'], kind: 'node', concurrency: 2 },
  e2e: { kind: 'e2e' },
};

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(SUITES);
for (const n of names) {
  if (!(n in SUITES)) {
    console.error(`unknown suite '${n}'; choose from ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
}

mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;

for (const name of names) {
  const suite = SUITES[name];
  console.log(`\n=== ${name} ===`);
  const counts = suite.kind === 'node' ? runNodeSuite(name, suite) : runE2e();
  passed += counts.passed;
  failed += counts.failed;
  if (counts.exitCode !== 0 && counts.failed === 0) {
    // The runner failed outside any test (a file that does not load, a crash): count it.
    console.log(`${name}: the runner exited with ${counts.exitCode} without a failing test; counting one failure`);
    failed += 1;
  }
  console.log(`=== ${name}: ${counts.passed} passed, ${counts.failed} failed (exit ${counts.exitCode}) ===`);
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'out') out.push(...testFiles(path));
    } else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

function runNodeSuite(name, { roots, concurrency }) {
  const files = roots.flatMap(testFiles);
  const jobs = testConcurrency(process.env.KW_TEST_CONCURRENCY, concurrency);
  if (files.length === 0) {
    console.log(`no ${name} tests found`);
    return { passed: 0, failed: 0, exitCode: 0 };
  }
  const countsFile = join('test-results', `${name}-counts.json`);
  rmSync(countsFile, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${jobs}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/count-reporter.mjs',
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, KW_SUITE: name } },
  );
  return { ...readCounts(countsFile), exitCode: result.status ?? 1 };
}

/** KW_TEST_CONCURRENCY as a whole number of files at once (1-32); anything else stops the run with a message. */
function testConcurrency(text, fallback) {
  if (text === undefined || text === '') return fallback;
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 32) {
    console.error(`KW_TEST_CONCURRENCY takes a whole number of test files to run at once, 1 to 32, not '${text}'`);
    process.exit(2);
  }
  return Number(text);
}

function runE2e() {
  const countsFile = join('test-results', 'e2e-counts.json');
  rmSync(countsFile, { force: true });
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/run.ts', `--counts=${countsFile}`], {
    stdio: 'inherit',
  });
  return { ...readCounts(countsFile), exitCode: result.status ?? 1 };
}

function readCounts(file) {
  try {
    const { passed, failed } = JSON.parse(readFileSync(file, 'utf8'));
    return { passed, failed };
  } catch {
    return { passed: 0, failed: 0 };
  }
}
