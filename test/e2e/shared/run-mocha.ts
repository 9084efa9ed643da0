import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteCounts {
  readonly passed: number;
  readonly failed: number;
}

/**
 * Runs every `*.test.js` next to a suite's compiled index inside the extension
 * host. The spec reporter prints to the console, which the workbench forwards
 * to the runner. `{passed, failed}` goes to the file named by KW_E2E_COUNTS.
 */
export async function runMocha(dir: string, title: string): Promise<void> {
  console.log(
    `${title}: VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}), Node ${process.version}`,
  );
  const countsFile = process.env['KW_E2E_COUNTS'];
  if (!countsFile) console.log('KW_E2E_COUNTS is not set: the counts are not written to a file');
  const write = (counts: SuiteCounts): void => {
    if (countsFile) writeFileSync(countsFile, JSON.stringify(counts));
  };
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    write({ passed: 0, failed: 1 });
    throw new Error(`no *.test.js files in ${dir}`);
  }
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
  for (const name of files) mocha.addFile(join(dir, name));
  const grep = process.env['KW_E2E_GREP'];
  if (grep) {
    console.log(`${title}: only the tests matching /${grep}/ (KW_E2E_GREP)`);
    mocha.grep(new RegExp(grep));
  }
  const counts = await new Promise<SuiteCounts>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => resolve({ passed: runner.stats?.passes ?? 0, failed: failures }));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  }).catch((error: unknown) => {
    console.error(
      `${title}: mocha could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return { passed: 0, failed: 1 };
  });
  write(counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} tests failed`);
}
