// `npm run package [-- --out=FILE]`: builds the extension for production and
// packs a .vsix with @vscode/vsce. Everything the extension needs at run time
// is bundled by esbuild, so the package holds only package.json, README,
// LICENSE, the bundles, the generated schemas, the orchestrator's command line
// entry and the infra image sources; .vscodeignore keeps everything else out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = resolve(outArg ? outArg.slice('--out='.length) : `kube-workbench-${version}.vsix`);
mkdirSync(dirname(out), { recursive: true });

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
};

run(process.execPath, ['scripts/build.mjs', '--production']);
run(process.execPath, [
  'node_modules/@vscode/vsce/vsce',
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--skip-license',
  '--no-update-package-json',
  '--no-rewrite-relative-links',
  '--out',
  out,
]);
console.log(`package: wrote ${out}`);
