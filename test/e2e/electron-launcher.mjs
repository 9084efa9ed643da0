// `npm run test:electron`: the same two e2e suites as `npm run test:e2e`, in
// desktop VS Code through @vscode/test-electron, where a VS Code build can be
// downloaded (Linux also needs a display, e.g. xvfb-run). On a machine that
// cannot reach the download server (this project's CI reaches only the npm
// registry and Debian's packages) it says so and exits 1: use
// `npm run test:e2e`, which runs the suites in code-server.
//   main: the extension from this checkout, on a copy of test/fixtures/e2e-workspace;
//   vsix: `npm run package`, installed into a fresh extensions folder, run
//         under test/e2e/probe-extension so the installed copy is under test.
// Expects `npm run build` first.
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const fixture = join(repoRoot, 'test/fixtures/e2e-workspace');
const DOWNLOAD_TIMEOUT_MS = 20_000;

async function download() {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`)),
      DOWNLOAD_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([downloadAndUnzipVSCode({ version: 'stable', timeout: DOWNLOAD_TIMEOUT_MS }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await download();
} catch (error) {
  console.error(
    `test:electron: desktop VS Code cannot be downloaded on this machine (${error instanceof Error ? error.message : String(error)}).\n` +
      'This machine is offline except for package registries. Run the same suites in code-server instead: npm run test:e2e',
  );
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'kw-electron-'));

/** Runs a command with inherited output; throws when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function mainSuite() {
  const workspace = join(tmp, 'main', 'e2e-workspace');
  cpSync(fixture, workspace, { recursive: true });
  return {
    name: 'main',
    development: repoRoot,
    tests: join(repoRoot, 'test/out/e2e/suite/index.js'),
    workspace,
    extensionsDir: join(tmp, 'main', 'extensions'),
    env: {},
  };
}

function vsixSuite() {
  const extensionsDir = join(tmp, 'vsix', 'extensions');
  const workspace = join(tmp, 'vsix', 'empty-workspace');
  const manifests = join(tmp, 'vsix', 'manifests');
  mkdirSync(workspace, { recursive: true });
  cpSync(fixture, manifests, { recursive: true });
  const vsix = join(tmp, 'vsix', 'kube-workbench.vsix');
  run('npm', ['run', '--silent', 'package', '--', `--out=${vsix}`], { cwd: repoRoot });
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath, { reuseMachineInstall: true });
  run(cli, [...cliArgs, `--extensions-dir=${extensionsDir}`, '--install-extension', vsix, '--force'], {
    shell: process.platform === 'win32',
  });
  return {
    name: 'vsix',
    development: join(repoRoot, 'test/e2e/probe-extension'),
    tests: join(repoRoot, 'test/out/e2e/vsix-suite/index.js'),
    workspace,
    extensionsDir,
    env: { KW_E2E_EXTENSIONS_DIR: extensionsDir, KW_E2E_MANIFESTS: manifests, KW_E2E_REPO_ROOT: repoRoot },
  };
}

const totals = { passed: 0, failed: 0 };
try {
  for (const prepare of [mainSuite, vsixSuite]) {
    let suite;
    try {
      suite = prepare();
      const countsFile = join(tmp, `${suite.name}-counts.json`);
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: suite.development,
        extensionTestsPath: suite.tests,
        extensionTestsEnv: { ...suite.env, KW_E2E_COUNTS: countsFile },
        launchArgs: [
          suite.workspace,
          '--disable-workspace-trust',
          `--extensions-dir=${suite.extensionsDir}`,
          `--user-data-dir=${join(tmp, suite.name, 'user-data')}`,
        ],
      }).finally(() => {
        try {
          const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
          totals.passed += counts.passed;
          totals.failed += counts.failed;
        } catch {
          totals.failed += 1; // the suite did not get as far as reporting
        }
      });
      console.log(`test:electron: suite ${suite.name} passed`);
    } catch (error) {
      console.error(
        `test:electron: suite ${suite?.name ?? prepare.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!suite) totals.failed += 1;
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`test:electron: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
