/**
 * `validate`'s checks across files: every file up to the editor's size limit
 * goes into one workspace index (standard input under `stdin:/stdin`), and
 * each gets the index's diagnostics (duplicates, Services that select
 * nothing, Ingress backends, missing references), as the editor runs them
 * over a workspace. Larger files are checked document by document only.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LanguageService } from '../language-service.js';
import { readRegularFile } from '../read-manifest-files.js';

/** Files above this size are not indexed (the editor's limit too): their own documents are still checked. */
export const INDEX_LIMIT = 16 * 2 ** 20;

export interface SavedStdin {
  path: string;
  remove(): void;
}

/** Standard input in a private temporary file, so it is read (and streamed) as the other files are. */
export function saveStdin(text: string): SavedStdin {
  const dir = mkdtempSync(join(tmpdir(), 'kube-workbench-stdin-'));
  const path = join(dir, 'stdin.yaml');
  writeFileSync(path, text, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the index's checks; returns the files too large to index. */
export function crossFileChecks(
  service: LanguageService,
  files: readonly string[],
  stdin: SavedStdin | undefined,
  report: (file: string, diagnostic: Diagnostic) => void,
): string[] {
  const tooLarge: string[] = [];
  const indexed = new Map<string, string>();
  for (const file of files) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      continue; // the document pass has reported it
    }
    if (size > INDEX_LIMIT) {
      tooLarge.push(file);
      continue;
    }
    const text = readRegularFile(file);
    if (typeof text !== 'string') continue;
    const uri = file === stdin?.path ? 'stdin:/stdin' : pathToFileURL(resolve(file)).href;
    service.workspace.update(uri, text);
    indexed.set(file, uri);
  }
  for (const [file, uri] of indexed) for (const d of service.workspace.diagnostics(uri)) report(file, d);
  return tooLarge;
}
