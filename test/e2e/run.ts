// Runs the e2e suites in a real VS Code (code-server 1.100 + headless Chromium):
//   main: the extension from this checkout (extensionDevelopmentPath) against a
//         copy of test/fixtures/e2e-workspace;
//   vsix: the packaged extension, installed into a fresh code-server, tested
//         through a probe extension so the installed copy is the one that runs.
// Usage: node --import tsx test/e2e/run.ts [--counts=FILE] [--suite=main|vsix|quickstart]
// Expects `npm run build` first. KW_E2E_TIMEOUT_MS bounds the whole run (default 12 min).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installExtension, locateCodeServer } from './runner/code-server.js';
import type { CodeServerDirs } from './runner/code-server.js';
import { Deadline } from './runner/deadline.js';
import { packageVsix } from './runner/package-vsix.js';
import { killAllGroups } from './runner/process-group.js';
import { quickstartCheck } from './runner/quickstart.js';
import { runSuite } from './runner/run-suite.js';
import { stopClustersUnder } from './runner/stop-clusters.js';
import type { Counts } from './runner/run-suite.js';

const repoRoot = resolve(__dirname, '../..');
const resultsDir = join(repoRoot, 'test-results');
const option = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const countsFile = option('counts');
const only = option('suite');
const deadline = new Deadline(Number(process.env['KW_E2E_TIMEOUT_MS'] ?? 12 * 60_000));

process.on('exit', killAllGroups);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllGroups();
    process.exit(130);
  });
}

function dirsFor(root: string, name: string): CodeServerDirs {
  return {
    userDataDir: join(root, name, 'user-data'),
    extensionsDir: join(root, name, 'extensions'),
    configFile: join(root, name, 'code-server.yaml'),
    logFile: join(resultsDir, `e2e-${name}-code-server.log`),
  };
}

async function mainSuite(entry: string, tmp: string): Promise<Counts> {
  console.log('\n--- e2e suite: main (extension from this checkout) ---');
  const workspace = join(tmp, 'main', 'e2e-workspace');
  cpSync(join(repoRoot, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });
  const dirs = dirsFor(tmp, 'main');
  rmSync(dirs.logFile, { force: true });
  return runSuite(
    {
      name: 'main',
      entry,
      dirs,
      workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'test/out/e2e/suite/index.js'),
      env: {},
      resultsDir,
      countsFile: join(tmp, 'main', 'counts.json'),
    },
    deadline,
  );
}

async function vsixSuite(entry: string, tmp: string): Promise<Counts> {
  console.log('\n--- e2e suite: vsix (the packaged extension, installed) ---');
  const dirs = dirsFor(tmp, 'vsix');
  rmSync(dirs.logFile, { force: true });
  // No YAML in the workspace: opening a manifest from elsewhere is what must activate the extension.
  const workspace = join(tmp, 'vsix', 'empty-workspace');
  const manifests = join(tmp, 'vsix', 'manifests');
  mkdirSync(workspace, { recursive: true });
  cpSync(join(repoRoot, 'test/fixtures/e2e-workspace'), manifests, { recursive: true });
  try {
    const vsix = await packageVsix(repoRoot, join(tmp, 'vsix', 'kube-workbench.vsix'), deadline);
    await installExtension(entry, dirs, vsix, deadline);
    console.log(`[e2e:vsix] installed ${vsix} into ${dirs.extensionsDir}`);
  } catch (error) {
    console.error(
      `[e2e:vsix] FAILED before the suite could run: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { passed: 0, failed: 1 };
  }
  return runSuite(
    {
      name: 'vsix',
      entry,
      dirs,
      workspace,
      extensionDevelopmentPath: join(repoRoot, 'test/e2e/probe-extension'),
      extensionTestsPath: join(repoRoot, 'test/out/e2e/vsix-suite/index.js'),
      env: { KW_E2E_EXTENSIONS_DIR: dirs.extensionsDir, KW_E2E_MANIFESTS: manifests, KW_E2E_REPO_ROOT: repoRoot },
      resultsDir,
      countsFile: join(tmp, 'vsix', 'counts.json'),
    },
    deadline,
  );
}

async function main(): Promise<number> {
  mkdirSync(resultsDir, { recursive: true });
  const suites = {
    main: mainSuite,
    vsix: vsixSuite,
    // README command 1 in the background, its URL in a browser: last, since its set-up rebuilds the bundles.
    quickstart: async () => {
      console.log('\n--- e2e suite: quickstart (README command 1, as a person runs it) ---');
      return quickstartCheck(repoRoot, resultsDir, deadline);
    },
  };
  const chosen = only ? [only] : Object.keys(suites);
  let total: Counts = { passed: 0, failed: 0 };
  const tmp = mkdtempSync(join(tmpdir(), 'kw-e2e-'));
  try {
    const entry = locateCodeServer(repoRoot);
    for (const name of chosen) {
      const suite = suites[name as keyof typeof suites];
      if (!suite) throw new Error(`unknown suite '${name}'; choose main, vsix or quickstart`);
      const counts = await suite(entry, tmp);
      console.log(`--- e2e suite ${name}: ${counts.passed} passed, ${counts.failed} failed ---`);
      total = { passed: total.passed + counts.passed, failed: total.failed + counts.failed };
    }
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
    total = { passed: total.passed, failed: total.failed + 1 };
  } finally {
    killAllGroups();
    // The main suite's embedded cluster is a detached process that outlives its window.
    await stopClustersUnder(tmp, '[e2e]').catch((error: unknown) => console.error(`e2e: clean-up: ${String(error)}`));
    if (process.env['KW_E2E_KEEP'] === '1') console.log(`e2e: kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  if (countsFile) writeFileSync(countsFile, JSON.stringify(total));
  console.log(`e2e: ${total.passed} passed, ${total.failed} failed`);
  return total.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
