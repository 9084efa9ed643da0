// First diagnostics of the 1,000-Deployment file (bench/lsp-deployments.bench.mjs's file, in the
// workspace folder so the start-up scan reads it too), then edits sent as soon as the first publish
// arrives: prints, per run, didOpen to publish, the server's CPU time in that window (/proc, 10 ms
// ticks), the first edit after opening (and the server's CPU from the first publish to its answer),
// the edits' median / p95 (and the server's CPU over them), and the server's RSS after them.
// Our build and, with KW_BENCH_BASELINE, the build there, alternating.
//   KW_BENCH_BASELINE=/work/baseline node --import tsx bench/first-edits-after-open.mjs [runs] [edits]
// KW_BENCH_SETTLE_MS=3000 waits that long after the first publish before the edits (the file is then
// prepared for its index, and each edit goes through `validate`, not `publishSoon`);
// KW_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' gives the servers these flags of node;
// KW_BENCH_ALL_EDITS=1 prints every edit's time too; KW_BENCH_ALSO=name=dir,... adds builds (dir with
// server/out/, scripts/code-cache.js and schemas/) to the alternation.
// (not a *.bench.mjs: `npm run bench` does not run it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deploymentsManifest, REPLICAS_LINE } from './lib/deployments-manifest.mjs';
import { rssMiB } from './lib/process-rss.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

const runs = Number(process.argv[2] ?? 3);
const edits = Number(process.argv[3] ?? 20);
const nodeArgs = (process.env.KW_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const servers = [['ours', 'server/out/server.js']];
if (process.env.KW_BENCH_BASELINE)
  servers.push(['before', join(process.env.KW_BENCH_BASELINE, 'server/out/server.js')]);
// Other builds beside (KW_BENCH_ALSO=name=dir,name=dir).
for (const item of (process.env.KW_BENCH_ALSO ?? '').split(',').filter(Boolean)) {
  const [name = item, dir = item] = item.split('=');
  servers.push([name, join(dir, 'server/out/server.js')]);
}

/** The server process's user and system CPU time so far, in ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const dir = mkdtempSync(join(tmpdir(), 'kw-first-edits-'));
try {
  const manifest = deploymentsManifest(1000);
  const file = join(dir, 'deployments.yaml');
  writeFileSync(file, manifest.text);
  const uri = pathToFileURL(file).href;
  const at = (line) => (diagnostics) => diagnostics.some((d) => d.range.start.line === line);
  for (let run = 0; run < runs; run++)
    for (const [name, server] of servers) {
      const client = new LspClient([process.execPath, ...nodeArgs, server, '--stdio'], { settings: {} });
      try {
        await client.initialize(dir);
        const cpu = cpuMs(client.process.pid);
        const started = performance.now();
        const first = client.nextDiagnostics(uri, at(manifest.lastReplicasLine));
        client.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
        });
        await first;
        const firstMs = performance.now() - started;
        const firstCpu = cpuMs(client.process.pid) - cpu;
        const settle = Number(process.env.KW_BENCH_SETTLE_MS ?? 0);
        if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
        const editsCpu = cpuMs(client.process.pid);
        const times = [];
        let firstEditCpu = 0;
        for (let e = 0; e < edits; e++) {
          const doc = Math.floor(((e * 7919) % edits) * ((manifest.starts.length - 1) / edits));
          const line = (manifest.starts[doc] ?? 0) + REPLICAS_LINE;
          const t = performance.now();
          const updated = client.nextDiagnostics(uri, at(line));
          client.notify('textDocument/didChange', {
            textDocument: { uri, version: e + 2 },
            contentChanges: [{ range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: 'two' }],
          });
          await updated;
          times.push(performance.now() - t);
          if (e === 0) firstEditCpu = cpuMs(client.process.pid) - editsCpu;
        }
        const sorted = [...times].sort((a, b) => a - b);
        const pick = (q) => (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] ?? 0).toFixed(1);
        console.log(
          `${name.padEnd(6)} first diagnostics ${firstMs.toFixed(0)} ms (CPU ${firstCpu} ms); first edit ${(times[0] ?? 0).toFixed(1)} ms (CPU ${firstEditCpu} ms), ` +
            `second ${(times[1] ?? 0).toFixed(1)} ms; edits median ${pick(0.5)} p95 ${pick(0.95)} ms (CPU ${cpuMs(client.process.pid) - editsCpu} ms); RSS ${rssMiB(client.process.pid).toFixed(0)} MiB` +
            (process.env.KW_BENCH_ALL_EDITS ? `\n       edits ${times.map((t) => t.toFixed(0)).join(' ')}` : ''),
        );
      } finally {
        await client.shutdown();
      }
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
