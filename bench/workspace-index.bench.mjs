// Indexing a workspace of 2,000 manifest files, as the language server does
// at start: find the .yaml/.yml files, read them, parse them and record what
// each document declares and references; then the cross-resource checks for
// every file. The files are copies of the real-world corpus (read in place
// from ../shared/corpus, written to a temporary folder; names made unique
// per copy). yaml-language-server keeps no workspace index and kube-linter is
// not installable here, so there is no anchor: the target is under 2 s.
// Runs under `node --import tsx bench/run.mjs workspace`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLanguageService } from '../server/src/language-service.ts';
import { scanFolders } from '../server/src/workspace/scan-folders.ts';
import { corpusFiles, readCorpusFile } from '../test/unit/support/corpus.ts';

export const title = 'Workspace index: 2,000 manifest files (corpus copies) scanned, read, parsed and indexed';

const FILES = 2000;
const RUNS = 5;
const anchorName = 'none (no anchor)';

export async function run() {
  const sources = corpusFiles()
    .map(readCorpusFile)
    .filter((text) => !text.includes('{{'));
  if (sources.length === 0) throw new Error('the corpus is not available at ../shared/corpus');
  const root = mkdtempSync(join(tmpdir(), 'kw-workspace-index-'));
  try {
    const uris = [];
    for (let i = 0; i < FILES; i++) {
      const dir = join(root, `team-${i % 20}`, `app-${Math.floor(i / 20) % 10}`);
      mkdirSync(dir, { recursive: true });
      // Each copy gets its own names, so the workspace is not 2,000 duplicates of 358 files.
      const text = (sources[i % sources.length] ?? '').replace(
        /^(\s*name:\s*)([a-z0-9][-a-z0-9.]*)\s*$/gm,
        `$1$2-c${i}`,
      );
      const path = join(dir, `manifest-${i}.yaml`);
      writeFileSync(path, text);
      uris.push(pathToFileURL(path).href);
    }
    const times = [];
    let checks = 0;
    let resources = 0;
    for (let r = 0; r < RUNS; r++) {
      const service = createLanguageService();
      const started = performance.now();
      const count = await scanFolders([root], async (uri) => {
        service.workspace.update(uri, await readFile(fileURLToPath(uri), 'utf8'));
      });
      times.push(performance.now() - started);
      if (count !== FILES) throw new Error(`scanned ${count} files, expected ${FILES}`);
      resources = [...service.workspace.index.all()].length;
      const checked = performance.now();
      for (const uri of uris) service.workspace.diagnostics(uri);
      checks = performance.now() - checked;
    }
    return [
      {
        metric: `index ${FILES} files (${resources} resources), first run`,
        unit: 'ms',
        ours: times[0],
        anchor: undefined,
        anchorName,
        better: 'lower',
      },
      {
        metric: `index ${FILES} files, median of ${RUNS}`,
        unit: 'ms',
        ours: median(times),
        anchor: undefined,
        anchorName,
        better: 'lower',
      },
      {
        metric: `cross-resource checks for all ${FILES} files`,
        unit: 'ms',
        ours: checks,
        anchor: undefined,
        anchorName,
        better: 'lower',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
