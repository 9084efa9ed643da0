#!/usr/bin/env node
// Command-line entry: `kube-workbench validate ...` and `kube-workbench cluster ...`.
// It loads the bundles that `npm run build` leaves in server/out and client/out.
'use strict';
const { join } = require('node:path');
const { existsSync } = require('node:fs');

const root = join(__dirname, '..');
const commands = {
  validate: join(root, 'server', 'out', 'cli.js'),
  cluster: join(root, 'client', 'out', 'orchestrator.js'),
  node: join(root, 'client', 'out', 'orchestrator.js'),
};
// The function of the bundle each command calls (main unless said here).
const entries = { node: 'nodeMain' };
const usage =
  'usage: kube-workbench <validate|cluster|node> [args...]\n' +
  '  validate [--format text|json] PATH...   check manifests, one line per problem\n' +
  '                                           exit 0 clean, 1 errors found, 2 usage, 3 could not read some paths\n' +
  '  cluster start [options]                  run the embedded cluster in the foreground\n' +
  '  node stop|start NAME [--data-dir DIR]    simulate an outage of a node of the running cluster, end it\n' +
  '  node add [NAME] | node remove NAME       add a node to the running cluster; drain (PDBs honoured) and delete one\n';

const [command, ...rest] = process.argv.slice(2);
const bundle = command === undefined ? undefined : commands[command];
if (bundle === undefined) {
  process.stderr.write(command === undefined ? usage : `kube-workbench: unknown command '${command}'\n${usage}`);
  process.exit(2);
}
if (!existsSync(bundle)) {
  process.stderr.write(`kube-workbench: ${bundle} is missing; run 'npm run build' first\n`);
  process.exit(2);
}
const result = require(bundle)[entries[command] || 'main'](rest);
Promise.resolve(result).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
    // A stopped cluster has closed its store and servers; a stream nobody
    // reads any more (an exec whose client went away) must not keep it alive.
    if (command === 'cluster') process.exit();
  },
  (error) => {
    process.stderr.write(`kube-workbench: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
