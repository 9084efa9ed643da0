// Bundles the extension, the language server, the command line, the
// orchestrator's process entry and the e2e test suites with esbuild.
// `node scripts/build.mjs --watch` rebuilds on change.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

await (await import('./generate-schemas.mjs')).generateSchemasIfStale(); // schemas/ from the API models, when stale

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // The `yaml` package's ES module build: bundled into one scope, its functions are
  // called directly instead of through CommonJS interop getters (measurably faster).
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // Native, optional parts of dockerode's ssh transport: never used on a local socket.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
};

/** Every `*.ts` file below a folder. */
function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const targets = [
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'client/out' },
  { ...common, entryPoints: { orchestrator: 'client/orchestrator/main.ts' }, outdir: 'client/out' },
  // `cluster start`'s first step, a few kB: listens and answers /version while the orchestrator's bundle loads.
  { ...common, entryPoints: { 'cluster-start': 'client/orchestrator/cli/early-start.ts' }, outdir: 'client/out' },
  // `kube-workbench run`: the extension's build, apply and rollout code without VS Code.
  { ...common, entryPoints: { 'run-cli': 'client/src/dev/run-cli.ts' }, outdir: 'client/out' },
  // client-node on its own: the extension loads it on first use, so activation does not parse it.
  // Always minified (a third of the size, about a third less time to load; nobody steps through its code).
  {
    ...common,
    entryPoints: { 'kube-client': 'client/src/kube/kube-client-bundle.mts' },
    outdir: 'client/out',
    minify: true,
    sourcemap: false,
  },
  // The language server: a small entry (server.js) that starts the validation worker, then loads the server's
  // bundle (server-main.js) with the code cache; the worker's own bundle holds only the checks.
  {
    ...common,
    entryPoints: {
      server: 'server/src/server-entry.ts',
      'server-main': 'server/src/server.ts',
      'validation-worker': 'server/src/parallel/worker-main.ts',
      cli: 'server/src/cli.ts',
    },
    outdir: 'server/out',
  },
  // The workload chart's webview script, with uPlot bundled in: a browser script, nothing fetched.
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: false,
    minify: production,
    logLevel: 'warning',
    entryPoints: { 'chart-view': 'client/webview/chart-view.ts' },
    outdir: 'client/out',
  },
  {
    ...common,
    // Suites run inside the VS Code extension host; mocha comes from node_modules there.
    entryPoints: tsFiles('test/e2e/suite').concat(tsFiles('test/e2e/vsix-suite')),
    outdir: 'test/out/e2e',
    outbase: 'test/e2e',
    external: [...common.external, 'mocha'],
  },
];

if (watch) {
  for (const t of targets) await (await context(t)).watch();
  console.log('watching for changes...');
} else {
  const started = Date.now();
  await Promise.all(targets.map((t) => build(t)));
  // The orchestrator compiles its infrastructure helper from this source at run time: ship it beside the bundle.
  mkdirSync('client/out', { recursive: true });
  copyFileSync('client/orchestrator/kubelet/infra/kw-infra.c', 'client/out/kw-infra.c');
  copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'client/out/uPlot.min.css');
  console.log(`build: bundled in ${Date.now() - started} ms`);
}
