/**
 * The orchestrator's folders follow the flow of data, and no import runs back
 * up: store -> api -> machinery -> controllers | scheduler | kubelet -> proxy
 * -> node-pool -> control-plane -> build -> cli -> main. This test reads every source file's imports and fails on an import
 * that climbs (or crosses between the controllers, the scheduler and the
 * kubelet), and on any import cycle between files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = __dirname;

/** Layer of each top-level folder or root file; peers share a number and may not import each other. */
const LAYERS: Record<string, number> = {
  protocol: 0,
  'clock.ts': 0,
  store: 1,
  api: 2,
  machinery: 3,
  controllers: 4,
  scheduler: 4,
  kubelet: 4,
  proxy: 5,
  'node-pool.ts': 5.5,
  'control-plane.ts': 6,
  build: 6.5,
  cli: 7,
  'main.ts': 8,
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'no-vscode') sources(path, out); // the target of a forbidden import, never imported
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The folder or root file a file belongs to (a root file's test belongs with it). */
function topOf(file: string): string {
  return relative(ROOT, file)
    .split('/')[0]!
    .replace(/\.test\.ts$/, '.ts');
}

/** Relative imports of a file (static, dynamic, type-only), resolved to files under ROOT. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]!);
    for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) {
          out.push(candidate);
          break;
        }
      } catch {
        // not this candidate
      }
    }
  }
  return out;
}

const files = sources(ROOT).filter((f) => f !== __filename);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('orchestrator layers', () => {
  it('knows the layer of every top-level folder and root file', () => {
    const unknown = [...new Set(files.map(topOf))].filter((top) => LAYERS[top] === undefined);
    assert.deepEqual(unknown, [], 'give each new top-level folder or file a layer in LAYERS');
  });

  it('has no import that runs back up the layers or across peers', () => {
    const bad: string[] = [];
    for (const [file, imports] of graph) {
      const from = topOf(file);
      for (const target of imports) {
        if (!target.startsWith(ROOT + '/')) continue; // another project (the shared model): checked by tsc's references
        const to = topOf(target);
        if (to === from) continue;
        if ((LAYERS[to] ?? 99) >= (LAYERS[from] ?? -1)) {
          bad.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('has no import cycle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        const s = state.get(next);
        if (s === 'open') {
          cycles.push([...path.slice(path.indexOf(next)), next].map((f) => relative(ROOT, f)).join(' -> '));
        } else if (s === undefined) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    assert.deepEqual(cycles, []);
  });
});
