/**
 * scripts/code-cache.js: a command's bundle loads with V8's code cache from the second run on, gives
 * the same exports as `require`, and never reads a cache another user could have written.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const LOADER = resolve('scripts/code-cache.js');
const root = mkdtempSync(join(tmpdir(), 'kw-code-cache-'));
const bundle = join(root, 'bundle.js');
writeFileSync(
  bundle,
  `'use strict';\nconst { join } = require('node:path');\nexports.main = (n) => n * 2;\nexports.here = join(__dirname, 'x');\nexports.self = module.exports === exports;\n`,
);
const cacheHome = join(root, 'cache');
const folder = join(cacheHome, 'kube-workbench', 'code-cache');

/** Loads the bundle in a new process: its answers and what the loader did with the cache. */
function load(
  env: Record<string, string> = {},
  how: 'loadBundle' | 'loadBundleAsync' = 'loadBundle',
  file = bundle,
): { main: number; here: string; self: boolean; status: string } {
  // One script for every load: `-e`'s text is part of the cache key (it is in process.execArgv).
  const script = `const c = require(${JSON.stringify(LOADER)});
const options = process.env.KW_SAVE === 'no' ? [{ save: false }] : [];
Promise.resolve(c[process.env.KW_HOW](process.env.KW_FILE, 'test', ...options)).then((b) =>
  process.stdout.write(JSON.stringify({ main: b.main(21), here: b.here, self: b.self, status: c.cacheStatus() })));`;
  const out = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: {
      ...process.env,
      XDG_CACHE_HOME: cacheHome,
      KUBE_WORKBENCH_NO_CODE_CACHE: '',
      KW_HOW: how,
      KW_FILE: file,
      KW_SAVE: '',
      ...env,
    },
  });
  return JSON.parse(out) as { main: number; here: string; self: boolean; status: string };
}

describe('the code cache of command bundles', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the cache on the first run and uses it on the next, with the exports require gives', () => {
    const first = load();
    assert.deepEqual(first, { main: 42, here: join(root, 'x'), self: true, status: 'missing' });
    assert.equal(readdirSync(folder).filter((f) => f.startsWith('bundle.js-test-')).length, 1);
    assert.deepEqual(load(), { ...first, status: 'used' });
  });

  it('rejects a damaged cache, loads all the same, and writes it again', () => {
    const [name] = readdirSync(folder);
    writeFileSync(join(folder, name!), Buffer.from('not bytecode at all'));
    assert.equal(load().status, 'rejected');
    assert.equal(load().status, 'used');
  });

  it('never reads a cache folder others may write, and can be turned off', () => {
    chmodSync(folder, 0o777);
    try {
      const r = load();
      assert.equal(r.main, 42);
      assert.equal(r.status, 'missing');
    } finally {
      chmodSync(folder, 0o700);
    }
    assert.equal(load().status, 'used');
    assert.equal(load({ KUBE_WORKBENCH_NO_CODE_CACHE: '1' }).status, 'off');
  });

  it('loads off the main thread (loadBundleAsync) with the same exports and the same cache', () => {
    const sync = load();
    assert.deepEqual(load({}, 'loadBundleAsync'), sync);
  });

  it('only reads the cache when told not to save (a worker thread of validate): never writes or replaces it', () => {
    const reader = join(root, 'reader', 'bundle.js');
    mkdirSync(dirname(reader));
    writeFileSync(reader, `exports.main = (n) => n + 100;\nexports.here = '';\nexports.self = true;\n`);
    const names = () => readdirSync(folder).filter((f) => f.startsWith('bundle.js-test-'));
    const caches = () => names().length;
    const earlier = new Set(names());
    const before = caches();
    assert.deepEqual(load({ KW_SAVE: 'no' }, 'loadBundle', reader), {
      main: 121,
      here: '',
      self: true,
      status: 'missing',
    });
    assert.equal(caches(), before, 'nothing written');
    assert.equal(load({}, 'loadBundle', reader).status, 'missing');
    assert.equal(caches(), before + 1);
    assert.equal(load({ KW_SAVE: 'no' }, 'loadBundle', reader).status, 'used');
    assert.equal(caches(), before + 1);
    rmSync(join(root, 'reader'), { recursive: true });
    for (const name of names()) if (!earlier.has(name)) rmSync(join(folder, name));
  });

  it('keeps the caches of two installs side by side: a bundle of the same name elsewhere does not evict ours', () => {
    const other = join(root, 'other', 'bundle.js');
    mkdirSync(dirname(other));
    writeFileSync(other, `exports.main = (n) => n - 1;\nexports.here = '';\nexports.self = true;\n`);
    assert.equal(load().status, 'used');
    assert.equal(load({}, 'loadBundle', other).status, 'missing');
    assert.equal(load().status, 'used');
    assert.deepEqual(load({}, 'loadBundle', other), { main: 20, here: '', self: true, status: 'used' });
    assert.equal(readdirSync(folder).filter((f) => f.startsWith('bundle.js-test-')).length, 2);
  });

  it('keeps one cache per bundle build: a new build replaces the old one', () => {
    writeFileSync(bundle, `exports.main = (n) => n + 1;\nexports.here = '';\nexports.self = true;\n`);
    assert.equal(load().main, 22);
    assert.equal(load().status, 'used');
    const prefix = `bundle.js-test-${createHash('sha256').update(bundle).digest('hex').slice(0, 8)}~`;
    assert.equal(readdirSync(folder).filter((f) => f.startsWith(prefix)).length, 1);
  });
});
