import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench } from './browser.js';
import type { Workbench } from './browser.js';
import { startCodeServer } from './code-server.js';
import type { CodeServerDirs, RunningCodeServer } from './code-server.js';
import type { Deadline } from './deadline.js';

export interface Counts {
  readonly passed: number;
  readonly failed: number;
}

export interface SuiteSpec {
  /** Short name used in the log and in file names: test-results/e2e-<name>.png. */
  readonly name: string;
  /** code-server's entry.js. */
  readonly entry: string;
  readonly dirs: CodeServerDirs;
  readonly workspace: string;
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  /** Extra environment for code-server; its extension host, and so the suite, inherits it. */
  readonly env: Record<string, string>;
  readonly resultsDir: string;
  /** Where the suite writes `{passed, failed}` (passed to it as KW_E2E_COUNTS). */
  readonly countsFile: string;
}

/** Runs one suite in a fresh code-server and headless Chromium, and always stops both. */
export async function runSuite(spec: SuiteSpec, deadline: Deadline): Promise<Counts> {
  const tag = `[e2e:${spec.name}]`;
  rmSync(spec.countsFile, { force: true });
  // A failure picture from an earlier run would read as this run's.
  rmSync(join(spec.resultsDir, `e2e-${spec.name}-failure.png`), { force: true });
  let server: RunningCodeServer | undefined;
  let workbench: Workbench | undefined;
  let exitCode = 1;
  try {
    server = await startCodeServer(
      spec.entry,
      spec.dirs,
      { ...spec.env, KW_E2E_COUNTS: spec.countsFile, KW_E2E_RESULTS: spec.resultsDir },
      deadline,
    );
    console.log(`${tag} code-server is serving ${server.origin} (log: ${spec.dirs.logFile})`);
    workbench = await deadline.race(
      openWorkbench({
        origin: server.origin,
        workspace: spec.workspace,
        extensionDevelopmentPath: spec.extensionDevelopmentPath,
        extensionTestsPath: spec.extensionTestsPath,
        onLog: (level, message) => {
          // A test asks for a picture of what the user sees at that moment (e.g. an open completion list).
          const click = CLICK_REQUEST.exec(message);
          if (click?.[1] && click[2] && workbench) {
            const [id, target] = [click[1], click[2]];
            const done = (outcome: string): void => writeFileSync(join(spec.resultsDir, `.kw-click-${id}`), outcome);
            void workbench.click(target).then(
              () => done('ok'),
              (error: unknown) => {
                console.log(`[warn] click on ${target} failed: ${String(error)}`);
                done('failed');
              },
            );
            return;
          }
          // A test asks what the user reads in part of the page (the status bar, a view).
          const text = TEXT_REQUEST.exec(message);
          if (text?.[1] && text[2] && workbench) {
            const file = join(spec.resultsDir, `.kw-text-${text[1]}`);
            const done = (content: string): void => {
              writeFileSync(`${file}.tmp`, content);
              renameSync(`${file}.tmp`, file);
            };
            void workbench.text(text[2]).then(done, (error: unknown) => done(`(could not read: ${String(error)})`));
            return;
          }
          const request = SCREENSHOT_REQUEST.exec(message);
          const name = request?.[1];
          const bench = workbench;
          if (name && bench) {
            // Tree views are read from the side bar: make it wide enough for their labels first.
            const widen = name.includes('tree') ? bench.widenSideBar().catch(() => undefined) : Promise.resolve();
            void widen.then(() => shoot(bench, join(spec.resultsDir, `${name}.png`)));
          } else printLog(level, message);
        },
      }),
      `opening the workbench for the ${spec.name} suite`,
    );
    exitCode = await deadline.race(workbench.exitCode, `running the ${spec.name} suite`);
    console.log(`${tag} the suite finished with exit code ${exitCode}`);
    await shoot(workbench, join(spec.resultsDir, `e2e-${spec.name}.png`));
  } catch (error) {
    console.error(`${tag} FAILED: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`${tag} code-server's log: ${spec.dirs.logFile}`);
  } finally {
    if (workbench && exitCode !== 0) await shoot(workbench, join(spec.resultsDir, `e2e-${spec.name}-failure.png`));
    await workbench?.close().catch(() => undefined);
    await server?.stop();
  }
  return countsOf(spec, exitCode, tag);
}

/** Logged by a test (see test/e2e/shared/ui.ts) to have the launcher click in the page as a person would. */
const CLICK_REQUEST = /^\[kw-click\] (\S+) (.+)$/;

/** Logged by a test (see test/e2e/shared/ui.ts) to have the launcher read the text of the page's elements. */
const TEXT_REQUEST = /^\[kw-text\] (\S+) (.+)$/;

/** Logged by a test (see test/e2e/shared/screenshot.ts) to have the launcher save a screenshot. */
const SCREENSHOT_REQUEST = /^\[kw-screenshot\] ([\w-]+)$/;

async function shoot(workbench: Workbench, path: string): Promise<void> {
  try {
    await workbench.screenshot(path);
    console.log(`screenshot: ${path}`);
  } catch (error) {
    console.error(`screenshot ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The suite's own counts; a suite that failed without reporting counts as one failure. */
function countsOf(spec: SuiteSpec, exitCode: number, tag: string): Counts {
  let counts: Counts | undefined;
  try {
    const parsed = JSON.parse(readFileSync(spec.countsFile, 'utf8')) as Partial<Counts>;
    if (typeof parsed.passed === 'number' && typeof parsed.failed === 'number') {
      counts = { passed: parsed.passed, failed: parsed.failed };
    }
  } catch {
    counts = undefined;
  }
  if (!counts) {
    console.error(`${tag} the suite reported no counts (${spec.countsFile}); counting it as 1 failure`);
    return { passed: 0, failed: 1 };
  }
  if (exitCode !== 0 && counts.failed === 0) {
    console.error(`${tag} the suite exited with ${exitCode} although no test failed; counting 1 failure`);
    return { passed: counts.passed, failed: 1 };
  }
  return counts;
}

// The extension host's console arrives line by line; mocha's reporter output is
// printed as is, anything the host logs at warning or error level is marked.
function printLog(level: string, message: string): void {
  if (level === 'error' || level === 'warn') console.log(`[${level}] ${message}`);
  else console.log(message);
}
