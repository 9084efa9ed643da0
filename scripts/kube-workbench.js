#!/usr/bin/env node
// Command-line entry: `kube-workbench <command> ...` (kubectl's and kind's conventions: help on
// every command, `-h`/`--help` after any of them; exit 0 ok, 1 failure, 2 usage error).
// Each command lives in a bundle that `npm run build` leaves in server/out or client/out;
// a new one is one entry in COMMANDS (and its table in that bundle).
'use strict';
const { join } = require('node:path');
const { existsSync, readFileSync } = require('node:fs');
const { loadBundle, loadBundleAsync } = require('./code-cache.js');

const root = join(__dirname, '..');
const orchestrator = join(root, 'client', 'out', 'orchestrator.js');
/** `cluster start`'s first step: listens and answers /version while the orchestrator's bundle loads. */
const clusterStart = join(root, 'client', 'out', 'cluster-start.js');
/** name -> the bundle whose `main(argv, group)` runs it, and one line for the help. */
const COMMANDS = {
  validate: {
    bundle: join(root, 'server', 'out', 'cli.js'),
    summary: 'check manifests (files, folders or - for standard input) as the editor does',
  },
  run: {
    bundle: join(root, 'client', 'out', 'run-cli.js'),
    summary: 'build the images manifests name, apply them to the current context and wait until ready',
  },
  render: {
    bundle: join(root, 'server', 'out', 'cli.js'),
    group: 'render',
    summary: 'print the YAML a kustomization directory renders to (as kubectl kustomize does)',
  },
  cluster: {
    bundle: orchestrator,
    group: 'cluster',
    summary: 'start, stop, delete, list the embedded cluster or show its status',
  },
  build: {
    bundle: orchestrator,
    group: 'build',
    summary: 'build images from a build request (content-hash tags, .dockerignore honoured)',
  },
  node: {
    bundle: orchestrator,
    group: 'node',
    summary: "simulate a node's outage and recovery; add a node, or drain and remove one",
  },
};
const EXIT = { ok: 0, failure: 1, usage: 2 };

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
const help = [
  'Kube Workbench: write, validate and run Kubernetes manifests on your laptop.',
  '',
  'usage: kube-workbench <command> [flags]',
  '',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  '',
  'flags:',
  '  -h, --help     show this help (after a command: that command’s help)',
  '      --version  print the version',
  '',
  "Use 'kube-workbench <command> --help' for a command's flags.",
  'Exit codes: 0 ok, 1 failure, 2 usage error.',
  '',
].join('\n');

const version = () => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

function run(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`kube-workbench ${version()}\n`);
    return EXIT.ok;
  }
  if (command === 'help') return rest.length === 0 ? run([]) : run([rest[0], '--help']);
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (entry === undefined) {
    const what = command.startsWith('-') ? `unknown flag: ${command}` : `unknown command '${command}'`;
    process.stderr.write(`kube-workbench: ${what}\nRun 'kube-workbench --help' for usage.\n`);
    return EXIT.usage;
  }
  if (!existsSync(entry.bundle)) {
    process.stderr.write(`kube-workbench: ${entry.bundle} is missing; run 'npm run build' first\n`);
    return EXIT.failure;
  }
  if (command === 'validate') boundHeap();
  // Each command keeps the code its own start compiled (a word of letters only: never a path).
  const variant = [command, entry.group ? rest[0] : undefined].filter((w) => w && /^[a-z]{1,20}$/.test(w)).join('-');
  if (variant === 'cluster-start' && !rest.some((w) => w === '-h' || w === '--help') && existsSync(clusterStart))
    return startCluster(rest, variant);
  return loadBundle(entry.bundle, variant || 'main').main(rest, entry.group);
}

/**
 * `validate` keeps little alive (one document at a time, then its findings) but allocates fast: left
 * alone, V8 grows the young generation to 3x16 MiB and lets the old one double between full
 * collections, so a 15 MB file peaked at ~250 MiB RSS for ~47 MiB of live heap (session 9). Set before the
 * bundle loads (these two are read at each collection, so they take effect at run time; worker
 * threads share them): the young generation stays at its first size and the old one grows by a
 * tenth. Measured both ways in docs/BENCHMARKS.md: about half the peak RSS; on many files the same or
 * less CPU, on one 15 MB file 0.7-0.9x the documents per CPU second (more full collections).
 */
function boundHeap() {
  if (process.env.KUBE_WORKBENCH_V8_DEFAULTS) return;
  try {
    require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
    require('node:v8').setFlagsFromString('--heap-growing-percent=10');
  } catch {
    // An engine without these flags runs with its defaults.
  }
}

/** `cluster start`: the API listens first (small bundle), then the orchestrator is read and takes it over. */
async function startCluster(rest, variant) {
  const early = await loadBundle(clusterStart, 'early').earlyApi(rest.slice(1));
  const bundle = await loadBundleAsync(orchestrator, variant);
  return bundle.main(rest, 'cluster', early);
}

const [command] = process.argv.slice(2);
Promise.resolve()
  .then(() => run(process.argv.slice(2)))
  .then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
      // A stopped cluster has closed its store and servers; a stream nobody
      // reads any more (an exec whose client went away) must not keep it alive.
      if (command === 'cluster' || command === 'run') process.exit();
    },
    (error) => {
      process.stderr.write(`kube-workbench: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
