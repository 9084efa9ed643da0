// Loads a command's CommonJS bundle as `require` does, with V8's code cache: the first run of a
// bundle writes the bytecode of what it compiled (after its start-up work) to the user's cache
// folder, and later runs take it instead of parsing and compiling the bundle again (Node 20 has no
// compile cache of its own). The cache is keyed by the bundle's path, size and time and the Node
// version and flags; V8 checks it against the source and rejects what does not match, and it is
// read only from a folder that belongs to the user and that nobody else may write. Anything
// unexpected falls back to a plain `require`. KUBE_WORKBENCH_NO_CODE_CACHE=1 turns it off.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

/** How long a first run works before its compiled code is saved (long-running commands). */
const SAVE_AFTER_MS = 3000;

function cacheFolder() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'kube-workbench', 'code-cache');
}

/** The folder when it is ours alone (created so if missing), else undefined. */
function privateFolder(create) {
  const dir = cacheFolder();
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
    return stat.isDirectory() && mine && (stat.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** What names every cache of one bundle file and variant (two installs, or two builds side by side, keep theirs). */
function cachePrefix(file, variant) {
  return `${basename(file)}-${variant}-${createHash('sha256').update(file).digest('hex').slice(0, 8)}~`;
}

function cacheName(file, stat, variant) {
  const key = [file, stat.size, stat.mtimeMs, process.version, process.arch, ...process.execArgv].join('\0');
  return `${cachePrefix(file, variant)}${createHash('sha256').update(key).digest('hex').slice(0, 24)}.bin`;
}

function readCache(file, stat, variant) {
  const dir = privateFolder(false);
  if (!dir) return undefined;
  try {
    const path = join(dir, cacheName(file, stat, variant));
    const entry = fs.lstatSync(path);
    return entry.isFile() && entry.size < 256 * 1024 * 1024 ? fs.readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

async function readCacheAsync(file, stat, variant) {
  const dir = privateFolder(false);
  if (!dir) return undefined;
  try {
    const path = join(dir, cacheName(file, stat, variant));
    const entry = await fs.promises.lstat(path);
    return entry.isFile() && entry.size < 256 * 1024 * 1024 ? await fs.promises.readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file, stat, variant, script) {
  const dir = privateFolder(true);
  if (!dir) return;
  const path = join(dir, cacheName(file, stat, variant));
  const temp = `${path}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, path); // whole or not at all, for the processes starting beside this one
    // The caches of this bundle's earlier builds are of no more use.
    const prefix = cachePrefix(file, variant);
    for (const name of fs.readdirSync(dir))
      if (name.startsWith(prefix) && name.endsWith('.bin') && join(dir, name) !== path)
        fs.rmSync(join(dir, name), { force: true });
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * The bundle's exports, as `require(file)` gives them. `variant` names what the process will run
 * (`cluster-start`): each keeps the code its own start-up compiled. `save: false` only reads the
 * cache (a worker thread takes what its process's main thread compiled, and never replaces it).
 */
function loadBundle(file, variant = 'main', { save = true } = {}) {
  if (process.env.KUBE_WORKBENCH_NO_CODE_CACHE) return plain(file, 'off');
  let stat;
  let source;
  let cachedData;
  try {
    stat = fs.statSync(file);
    source = fs.readFileSync(file, 'utf8');
    cachedData = readCache(file, stat, variant);
  } catch {
    return plain(file, 'failed');
  }
  return compile(file, variant, stat, source, cachedData, save);
}

/**
 * As loadBundle, but the bundle and its cache are read off the main thread: what already
 * runs (a listening socket) keeps answering while they are read. Only the compile blocks.
 */
async function loadBundleAsync(file, variant = 'main') {
  if (process.env.KUBE_WORKBENCH_NO_CODE_CACHE) return plain(file, 'off');
  let stat;
  let source;
  let cachedData;
  try {
    stat = await fs.promises.stat(file);
    [source, cachedData] = await Promise.all([fs.promises.readFile(file, 'utf8'), readCacheAsync(file, stat, variant)]);
  } catch {
    return plain(file, 'failed');
  }
  return compile(file, variant, stat, source, cachedData);
}

function compile(file, variant, stat, source, cachedData, saveCache = true) {
  let script;
  try {
    script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
    if (cachedData && !script.cachedDataRejected) {
      status = 'used';
      return run(file, script);
    }
    status = cachedData ? 'rejected' : 'missing';
  } catch {
    return plain(file, 'failed');
  }
  if (!saveCache) return run(file, script);
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    writeCache(file, stat, variant, script);
  };
  pendingSaves.push(save);
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once('exit', save);
  return run(file, script);
}

/** The saves of bundles loaded without a usable cache, not written yet. */
const pendingSaves = [];

/**
 * Writes now the caches a first run would write after SAVE_AFTER_MS or at exit: for a thread that
 * knows when its start-up work is done (a worker thread is stopped at exit without its `exit` event).
 */
function saveCodeCache() {
  for (const save of pendingSaves.splice(0)) save();
}

/** What the last load did with the cache (for tests): used, missing, rejected, failed or off. */
let status = 'off';

function plain(file, why) {
  status = why;
  return require(file);
}

function run(file, script) {
  const module = { id: file, filename: file, path: dirname(file), exports: {}, loaded: false, children: [], paths: [] };
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

module.exports = { loadBundle, loadBundleAsync, saveCodeCache, cacheStatus: () => status };
