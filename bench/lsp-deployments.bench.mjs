// Engine against engine (issue #18, rows 1-2): a file of 1,000 Deployments
// (~31 lines each), our server as it is against yaml-language-server 1.25
// given a schema holding only the Deployment definition (with its `$ref`s)
// mapped to the file; both over LSP stdio in the same run. First diagnostics:
// didOpen until the publish that carries the last document's finding. Edits:
// 40 one-line edits (10 for yaml-language-server: seconds each) spread over the file, each making one document's
// `replicas` a word, timed until the publish that carries that new finding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { deploymentsManifest, REPLICAS_LINE, writeDeploymentSchema } from './lib/deployments-manifest.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

export const title = 'Language server: 1,000 Deployments in one file, Deployment schema only (engine against engine)';

const COUNT = 1000;
const EDITS = Number(process.env.KW_BENCH_EDITS ?? 40);
// It takes seconds per edit on this file: fewer keep the bench short.
const ANCHOR_EDITS = Number(process.env.KW_BENCH_ANCHOR_EDITS ?? 10);
const server = process.env.KW_BENCH_SERVER ?? 'server/out/server.js';

function servers(schemaFile) {
  return {
    ours: { command: [process.execPath, server, '--stdio'], settings: {}, runs: 5, edits: EDITS },
    yls: {
      command: ylsCommand(),
      settings: ylsSettings(schemaFile),
      runs: 3,
      edits: ANCHOR_EDITS,
    },
  };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-'));
  try {
    const manifest = deploymentsManifest(COUNT);
    const file = join(dir, 'deployments.yaml');
    writeFileSync(file, manifest.text);
    const lines = manifest.text.split('\n').length - 1;
    const { ours: oursServer, yls } = servers(writeDeploymentSchema(dir));
    // KW_BENCH_BASELINE=/work/baseline: the build before this change too, interleaved with ours.
    const baseline = process.env.KW_BENCH_BASELINE
      ? {
          ...oursServer,
          command: [process.execPath, join(process.env.KW_BENCH_BASELINE, 'server/out/server.js'), '--stdio'],
        }
      : undefined;
    const before = { firsts: [], edits: [] };
    // Interleaved: one run of each in turn, so both see the same machine load. The side run first in a
    // round (right after the anchor's run of the round before) measured 0-30 ms slower whichever build it
    // was (session 13), so ours and the build before take turns at going first.
    const ours = { firsts: [], edits: [] };
    const anchor = { firsts: [], edits: [] };
    for (let i = 0; i < Math.max(oursServer.runs, yls.runs); i++) {
      const sides = [
        ...(i < oursServer.runs ? [() => measure(oursServer, dir, file, manifest, ours, i === 0)] : []),
        ...(baseline && i < baseline.runs ? [() => measure(baseline, dir, file, manifest, before, i === 0)] : []),
      ];
      if (i % 2 === 1) sides.reverse();
      for (const side of sides) await side();
      if (i < yls.runs) await measure(yls, dir, file, manifest, anchor, i === 0);
    }
    const anchorName = 'yaml-language-server';
    const row = (metric, a, b) => ({ metric, unit: 'ms', ours: a, anchor: b, anchorName, better: 'lower' });
    const against = (metric, a, b) => ({ ...row(metric, a, b), anchorName: 'before (baseline build)' });
    const beforeRows = baseline
      ? [
          against('first diagnostics, median', median(ours.firsts), median(before.firsts)),
          against(`one-line edit (${EDITS} edits), median`, median(ours.edits), median(before.edits)),
          against(`one-line edit (${EDITS} edits), p95`, p95(ours.edits), p95(before.edits)),
        ]
      : [];
    return [
      ...beforeRows,
      row(`first diagnostics (${lines} lines), median`, median(ours.firsts), median(anchor.firsts)),
      row(`one-line edit (${EDITS}/${ANCHOR_EDITS} edits), median`, median(ours.edits), median(anchor.edits)),
      row(`one-line edit (${EDITS}/${ANCHOR_EDITS} edits), p95`, p95(ours.edits), p95(anchor.edits)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(server, dir, file, manifest, into, withEdits) {
  const client = new LspClient(server.command, { settings: server.settings });
  try {
    await client.initialize(dir);
    const uri = pathToFileURL(file).href;
    const at = (line) => (diagnostics) => diagnostics.some((d) => d.range.start.line === line);
    let started = performance.now();
    const first = client.nextDiagnostics(uri, at(manifest.lastReplicasLine));
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
    });
    await first;
    into.firsts.push(performance.now() - started);
    if (!withEdits) return;
    const count = manifest.starts.length;
    for (let e = 0; e < server.edits; e++) {
      // Spread over the file, never the last document (it already has its finding).
      const doc = Math.floor(((e * 7919) % server.edits) * ((count - 1) / server.edits));
      const line = (manifest.starts[doc] ?? 0) + REPLICAS_LINE;
      started = performance.now();
      const updated = client.nextDiagnostics(uri, at(line));
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: e + 2 },
        contentChanges: [{ range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: 'two' }],
      });
      await updated;
      into.edits.push(performance.now() - started);
    }
  } finally {
    await client.shutdown();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function p95(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}
