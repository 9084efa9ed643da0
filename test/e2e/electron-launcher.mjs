// `npm run test:electron`: the same e2e suites in desktop VS Code through
// @vscode/test-electron, where a VS Code build can be downloaded. On a machine
// that cannot reach the download server (this project's CI reaches only the
// npm registry and Debian's packages) it says so and exits 1: use
// `npm run test:e2e`, which runs the suites in code-server.
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');
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

const suites = [
  {
    name: 'main',
    development: repoRoot,
    tests: join(repoRoot, 'test/out/e2e/suite/index.js'),
    workspace: join(repoRoot, 'test/fixtures/e2e-workspace'),
  },
];
let failed = 0;
for (const suite of suites) {
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: suite.development,
      extensionTestsPath: suite.tests,
      launchArgs: [
        suite.workspace,
        '--disable-workspace-trust',
        `--user-data-dir=${mkdtempSync(join(tmpdir(), 'kw-electron-'))}`,
      ],
    });
    console.log(`test:electron: suite ${suite.name} passed`);
  } catch (error) {
    failed++;
    console.error(
      `test:electron: suite ${suite.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
