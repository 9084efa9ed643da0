/**
 * The orchestrator is its own TypeScript project with nothing of VS Code in its
 * compile: a file there that imports `vscode` fails the typecheck, whatever
 * ESLint says. Shown by compiling a deliberately bad file with the
 * orchestrator's compiler options, and the same file with the client's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
// Inside the repository, so that `types: ["node"]` finds node_modules/@types.
const WORK = join(REPO, '.cache', 'project-boundaries');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

const BAD_SOURCE = [
  "import * as vscode from 'vscode';",
  'export function warn(text: string): void {',
  '  void vscode.window.showWarningMessage(text);',
  '}',
  '',
].join('\n');

/** Compiles one file under the compiler options of `project` (a tsconfig.json path); returns tsc's output and status. */
function compileWith(project: string, name: string): { status: number | null; output: string } {
  const dir = join(WORK, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'uses-vscode.ts'), BAD_SOURCE);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: project,
      compilerOptions: { noEmit: true, composite: false, incremental: false, rootDir: REPO },
      files: ['uses-vscode.ts'],
      include: [],
      references: [],
    }),
  );
  const result = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('project boundaries', () => {
  after(() => rmSync(WORK, { recursive: true, force: true }));

  it('fails the typecheck of an orchestrator file that imports vscode', () => {
    const { status, output } = compileWith(join(REPO, 'client', 'orchestrator', 'tsconfig.json'), 'orchestrator');
    assert.notEqual(status, 0, output);
    assert.match(output, /error TS2344: .*the orchestrator runs as its own Node process: it must not import vscode/);
    assert.match(output, /uses-vscode\.ts\(3,\d+\): error TS2339: Property 'window' does not exist/);
  });

  it('compiles the same file under the extension client, which has the vscode types', () => {
    const { status, output } = compileWith(join(REPO, 'client', 'tsconfig.json'), 'client');
    assert.equal(status, 0, output);
  });
});
