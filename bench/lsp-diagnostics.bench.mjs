// Time to first diagnostics and to updated diagnostics after a one-line edit,
// in a 1,000-document file, over LSP stdio: our server against
// yaml-language-server 1.25 in the same run, given the same generated schemas
// as a local file. Also each server's memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { bigManifest } from './lib/big-manifest.mjs';
import { rssMiB } from './lib/process-rss.mjs';
import { writeYlsSchema } from './lib/yls-schema.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

export const title = 'Language server: 1,000-document file over LSP stdio';

const RUNS = 5;

function servers(schemaFile) {
  return {
    'kube-workbench': { command: [process.execPath, 'server/out/server.js', '--stdio'], settings: {}, runs: RUNS },
    'yaml-language-server 1.25': {
      command: ylsCommand(),
      settings: ylsSettings(schemaFile),
      runs: 3,
    },
  };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-'));
  try {
    const text = bigManifest(1000);
    const file = join(dir, 'big.yaml');
    writeFileSync(file, text);
    const lines = text.split('\n').length;
    const figures = {};
    const schemaFile = writeYlsSchema(dir);
    for (const [name, server] of Object.entries(servers(schemaFile)))
      figures[name] = await measure(server, dir, file, text);
    const ours = figures['kube-workbench'];
    const anchor = figures['yaml-language-server 1.25'];
    const anchorName = 'yaml-language-server';
    return [
      {
        metric: `first diagnostics (${lines} lines), median`,
        unit: 'ms',
        ours: ours.first,
        anchor: anchor.first,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'diagnostics after a one-line edit, median',
        unit: 'ms',
        ours: ours.edit,
        anchor: anchor.edit,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'server RSS after opening the file',
        unit: 'MB',
        ours: ours.rss,
        anchor: anchor.rss,
        anchorName,
        better: 'lower',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(server, dir, file, text) {
  const firsts = [];
  const edits = [];
  let rss = 0;
  for (let i = 0; i < server.runs; i++) {
    const client = new LspClient(server.command, { settings: server.settings });
    try {
      await client.initialize(dir);
      const uri = pathToFileURL(file).href;
      const hasErrors = (d) => d.length >= 2;
      let started = performance.now();
      const first = client.nextDiagnostics(uri, hasErrors);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      await first;
      firsts.push(performance.now() - started);
      rss = Math.max(rss, rssMiB(client.process.pid));

      // One-line edit in the middle of the file: change a value.
      const line = Math.floor(text.split('\n').length / 2);
      started = performance.now();
      const updated = client.nextDiagnostics(uri);
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '# edited\n' }],
      });
      await updated;
      edits.push(performance.now() - started);
    } finally {
      await client.shutdown();
    }
  }
  return { first: median(firsts), edit: median(edits), rss };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
