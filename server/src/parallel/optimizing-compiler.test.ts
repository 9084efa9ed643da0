/**
 * The pause of V8's optimizing compiler during a large file's first pass holds in this Node and
 * ends with it: a function run hot while paused is not optimized, and run hot again after the
 * pause it is (the edits after the first pass get optimized code, as before the pause existed).
 * Nested pauses end with the last; a process started with compiler flags of its own keeps them.
 * Each case runs in a child process with V8's natives syntax, to read a function's tier.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const module = JSON.stringify(resolve('server/src/parallel/optimizing-compiler.ts'));

/** Runs `body` in a child process (the module as `c`, `hot()` running a function hot, `optimized()` its tier). */
function run(body: string, flags: readonly string[] = []): string {
  const script = `
const c = require(${module});
const tier = new Function('f', 'return %GetOptimizationStatus(f)');
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += (i * 7) % 13; return s; }
const hot = () => { for (let i = 0; i < 20000; i++) work(50); };
const settle = () => new Promise((r) => setTimeout(r, 200));
// Bit 6: optimized by TurboFan (V8's OptimizationStatus).
const optimized = () => (tier(work) & 64) !== 0;
(async () => { ${body} })().catch((e) => { console.log('error', e); });
`;
  const child = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', ...flags, '--import', 'tsx', '--input-type=commonjs', '-e', script],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim();
}

describe('optimizing compiler pause', () => {
  it('keeps code from being optimized while paused, and optimizes it again once resumed', () => {
    const out = run(`
c.pauseOptimizingCompiler();
hot(); await settle(); hot();
const during = optimized();
c.resumeOptimizingCompiler();
for (let i = 0; i < 5 && !optimized(); i++) { hot(); await settle(); }
console.log(during, optimized());
`);
    assert.equal(out, 'false true');
  });

  it('resumes only when the last of nested pauses ends', () => {
    const out = run(`
c.pauseOptimizingCompiler();
c.pauseOptimizingCompiler();
c.resumeOptimizingCompiler();
hot(); await settle(); hot();
const stillPaused = optimized();
c.resumeOptimizingCompiler();
c.resumeOptimizingCompiler(); // one too many: ignored
for (let i = 0; i < 5 && !optimized(); i++) { hot(); await settle(); }
console.log(stillPaused, optimized());
`);
    assert.equal(out, 'false true');
  });

  it('leaves the flags of a process started with its own alone (--no-opt stays off after a pass)', () => {
    const out = run(
      `
c.pauseOptimizingCompiler();
c.resumeOptimizingCompiler();
for (let i = 0; i < 3; i++) { hot(); await settle(); }
console.log(optimized());
`,
      ['--no-opt'],
    );
    assert.equal(out, 'false');
  });
});
