// Completion and hover right after an edit (issue #18, "every path a user waits for"): the file of
// 1,000 Deployments (lsp-deployments' file) over LSP stdio, the built server. After each one-line edit
// (a document's `replicas` made a word, spread over the file), once the edit's diagnostics are
// published: a completion at the start of the edited line's key, then a hover on that key. Per
// request: latency (sent to answered) and the server main thread's CPU from /proc (schedstat, ns).
// KW_BENCH_BASELINE=/work/baseline: the build before too, alternating with ours (which goes first
// alternates by round); yaml-language-server (given the Deployment schema, as in lsp-deployments) as
// the anchor in the first round. KW_BENCH_ROUNDS (4), KW_BENCH_EDITS (30), KW_BENCH_ANCHOR_EDITS (8; 0: none),
// KW_BENCH_SETTLE_MS (0: the edits start as the first diagnostics arrive, while a large file is still
// being prepared for its index; 3000: after it, on the `validate` path). KW_BENCH_ASK=now sends the
// completion right after the edit, without waiting for its diagnostics (its latency then holds the edit's);
// KW_BENCH_FIRST=hover asks the hover first.
// KW_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR': node flags for ours and the build before.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { deploymentsManifest, REPLICAS_LINE, writeDeploymentSchema } from './lib/deployments-manifest.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

export const title = 'Language server: completion and hover right after an edit, 1,000 Deployments in one file';

const COUNT = 1000;
const ROUNDS = Number(process.env.KW_BENCH_ROUNDS ?? 4);
const EDITS = Number(process.env.KW_BENCH_EDITS ?? 30);
const ANCHOR_EDITS = Number(process.env.KW_BENCH_ANCHOR_EDITS ?? 8);
const SETTLE_MS = Number(process.env.KW_BENCH_SETTLE_MS ?? 0);
const ASK_NOW = process.env.KW_BENCH_ASK === 'now';
const HOVER_FIRST = process.env.KW_BENCH_FIRST === 'hover';
const server = process.env.KW_BENCH_SERVER ?? 'server/out/server.js';
const nodeArgs = (process.env.KW_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** The main thread's CPU time so far, in ms (the thread that answers requests; ns in schedstat). */
function mainThreadCpuMs(pid) {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-ask-'));
  try {
    const manifest = deploymentsManifest(COUNT);
    const file = join(dir, 'deployments.yaml');
    writeFileSync(file, manifest.text);
    const schemaFile = writeDeploymentSchema(dir);
    const sides = [
      { name: 'ours', command: [process.execPath, ...nodeArgs, server, '--stdio'], settings: {}, edits: EDITS },
    ];
    if (process.env.KW_BENCH_BASELINE)
      sides.push({
        name: 'before',
        command: [
          process.execPath,
          ...nodeArgs,
          join(process.env.KW_BENCH_BASELINE, 'server/out/server.js'),
          '--stdio',
        ],
        settings: {},
        edits: EDITS,
      });
    const anchor = {
      name: 'yaml-language-server',
      command: ylsCommand(),
      settings: ylsSettings(schemaFile),
      edits: ANCHOR_EDITS,
    };
    const results = new Map([...sides, anchor].map((s) => [s.name, empty()]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const one = await measure(side, dir, file, manifest);
        report(side.name, round, one);
        append(results.get(side.name), one);
      }
      if (round === 0 && ANCHOR_EDITS > 0) {
        const one = await measure(anchor, dir, file, manifest);
        report(anchor.name, round, one);
        append(results.get(anchor.name), one);
      }
    }
    const ours = results.get('ours');
    const rows = [];
    const row = (metric, unit, a, b, anchorName) => ({ metric, unit, ours: a, anchor: b, anchorName, better: 'lower' });
    for (const [other, name] of [
      [results.get('before'), 'before (baseline build)'],
      [results.get(anchor.name), anchor.name],
    ]) {
      if (!other || other.completion.length === 0) continue;
      rows.push(
        row('completion after an edit, median', 'ms', median(ours.completion), median(other.completion), name),
        row('completion after an edit, p95', 'ms', p95(ours.completion), p95(other.completion), name),
        row('hover after an edit, median', 'ms', median(ours.hover), median(other.hover), name),
        row('hover after an edit, p95', 'ms', p95(ours.hover), p95(other.hover), name),
        row('main-thread CPU per completion, mean', 'ms', mean(ours.completionCpu), mean(other.completionCpu), name),
        row('main-thread CPU per hover, mean', 'ms', mean(ours.hoverCpu), mean(other.hoverCpu), name),
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function empty() {
  return { completion: [], hover: [], completionCpu: [], hoverCpu: [], items: [], hovers: [] };
}

function append(into, one) {
  for (const key of Object.keys(into)) into[key].push(...one[key]);
}

function report(name, round, one) {
  const f = (v) => v.toFixed(2);
  console.error(
    `  round ${round} ${name.padEnd(20)} completion ${f(median(one.completion))} / ${f(p95(one.completion))} ms, ` +
      `CPU ${f(mean(one.completionCpu))} ms; hover ${f(median(one.hover))} / ${f(p95(one.hover))} ms, ` +
      `CPU ${f(mean(one.hoverCpu))} ms; items ${one.items.join(',')}; hovers ${one.hovers.filter(Boolean).length}/${one.hovers.length}`,
  );
}

async function measure(side, dir, file, manifest) {
  const client = new LspClient(side.command, { settings: side.settings });
  const into = empty();
  try {
    await client.initialize(dir);
    const uri = pathToFileURL(file).href;
    const pid = client.process.pid;
    const at = (line) => (diagnostics) => diagnostics.some((d) => d.range.start.line === line);
    const first = client.nextDiagnostics(uri, at(manifest.lastReplicasLine));
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
    });
    await first;
    if (SETTLE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const count = manifest.starts.length;
    for (let e = 0; e < side.edits; e++) {
      // Spread over the file, a different document each time, never the last (it already has its finding).
      const doc = Math.floor(((e * 7919) % side.edits) * ((count - 1) / side.edits));
      const line = (manifest.starts[doc] ?? 0) + REPLICAS_LINE;
      const published = client.nextDiagnostics(uri, at(line));
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: e + 2 },
        contentChanges: [{ range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: 'two' }],
      });
      if (!ASK_NOW) await published;
      // At the start of the edited line's key (`  replicas: two`): the keys of a Deployment's spec. The first
      // request after an edit pays what the version costs (the second reuses its parse): completion first,
      // or with KW_BENCH_FIRST=hover the hover.
      const completion = async () => {
        const cpu = mainThreadCpuMs(pid);
        const started = performance.now();
        const list = await client.request('textDocument/completion', {
          textDocument: { uri },
          position: { line, character: 2 },
        });
        into.completion.push(performance.now() - started);
        into.completionCpu.push(mainThreadCpuMs(pid) - cpu);
        into.items.push(Array.isArray(list) ? list.length : (list?.items?.length ?? 0));
      };
      const hover = async () => {
        const cpu = mainThreadCpuMs(pid);
        const started = performance.now();
        const answer = await client.request('textDocument/hover', {
          textDocument: { uri },
          position: { line, character: 4 },
        });
        into.hover.push(performance.now() - started);
        into.hoverCpu.push(mainThreadCpuMs(pid) - cpu);
        into.hovers.push(answer !== null && answer !== undefined);
      };
      const [first, second] = HOVER_FIRST ? [hover, completion] : [completion, hover];
      await first();
      if (ASK_NOW) await published;
      await second();
    }
    // Only the distinct counts: the same answers on every side is what is checked by eye.
    into.items = [...new Set(into.items)];
    return into;
  } finally {
    await client.shutdown();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function p95(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

function mean(values) {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
