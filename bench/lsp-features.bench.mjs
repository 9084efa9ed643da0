// Completion and hover latency in the 1,000-document file, over LSP stdio:
// our server against yaml-language-server 1.25 with the same schemas, in the
// same run. Median and p95 of requests at the same positions for both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/support/lsp-client.ts';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { bigManifest } from './lib/big-manifest.mjs';
import { writeYlsSchema } from './lib/yls-schema.mjs';

export const title = 'Language server: completion and hover latency in the 1,000-document file';

const REQUESTS = 60;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-feat-'));
  try {
    const text = bigManifest(1000);
    const file = join(dir, 'big.yaml');
    writeFileSync(file, text);
    const positions = pickPositions(text);
    const schemaFile = writeYlsSchema(dir);
    const ours = await measure([process.execPath, 'server/out/server.js', '--stdio'], {}, dir, file, text, positions);
    const anchor = await measure(ylsCommand(), ylsSettings(schemaFile), dir, file, text, positions);
    const anchorName = 'yaml-language-server';
    return [
      {
        metric: 'completion latency, median',
        unit: 'ms',
        ours: ours.completion.p50,
        anchor: anchor.completion.p50,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'completion latency, p95',
        unit: 'ms',
        ours: ours.completion.p95,
        anchor: anchor.completion.p95,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'hover latency, median',
        unit: 'ms',
        ours: ours.hover.p50,
        anchor: anchor.hover.p50,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'hover latency, p95',
        unit: 'ms',
        ours: ours.hover.p95,
        anchor: anchor.hover.p95,
        anchorName,
        better: 'lower',
      },
      {
        metric: 'completion items at the sampled positions',
        unit: 'items',
        ours: ours.items,
        anchor: anchor.items,
        anchorName,
        better: 'higher',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Evenly spread lines holding a nested key: complete at the key's start, hover on it. */
function pickPositions(text) {
  const lines = text.split('\n');
  const candidates = [];
  lines.forEach((line, i) => {
    const m = /^(\s+)([A-Za-z]\w+):/.exec(line);
    if (m && !line.trimStart().startsWith('-')) candidates.push({ line: i, character: m[1].length });
  });
  const step = Math.max(1, Math.floor(candidates.length / REQUESTS));
  return candidates.filter((_, i) => i % step === 0).slice(0, REQUESTS);
}

async function measure(command, settings, dir, file, text, positions) {
  const client = new LspClient(command, { settings });
  try {
    await client.initialize(dir);
    const uri = pathToFileURL(file).href;
    const first = client.nextDiagnostics(uri, (d) => d.length > 0);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await first;
    const completion = [];
    const hover = [];
    let items = 0;
    for (const position of positions) {
      let started = performance.now();
      const list = await client.request('textDocument/completion', { textDocument: { uri }, position });
      completion.push(performance.now() - started);
      items += Array.isArray(list) ? list.length : (list?.items?.length ?? 0);
      started = performance.now();
      await client.request('textDocument/hover', {
        textDocument: { uri },
        position: { line: position.line, character: position.character + 1 },
      });
      hover.push(performance.now() - started);
    }
    return { completion: stats(completion), hover: stats(hover), items };
  } finally {
    await client.shutdown();
  }
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor(sorted.length / 2)],
    p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
  };
}
