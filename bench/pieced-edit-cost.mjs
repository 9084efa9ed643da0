// What an edit of the 1,000-Deployment file costs on the server's `publishSoon` path, in one process
// (issue #18, row 2): the text document library's TextDocument with the readers taking its whole text,
// against PiecedTextDocument with the readers taking its pieces. Per side, series of 40 edits in turn
// (the edits of bench/lsp-deployments.bench.mjs): ms per edit of `update`, then `updateCrds` and
// `diagnosticsWithoutParsing` as the server calls them, and the collections in each series (a
// PerformanceObserver on `gc`).
// KW_BENCH_PATH=validate: the readers of `validate`'s path instead (once the file is prepared: every
// edit after the typing has paused), `kustomize.update`, `diagnostics`, `workspace.diagnostics` and
// `immutableFields` against the file's first text as its committed version, with a third side, the
// PiecedTextDocument's whole text (`getText()`, as the build before session 16 gave them); and each
// series' CPU time (process.cpuUsage) and the heap's growth per edit (median of the edits no collection
// came into: what an edit allocates).
//   node --import tsx bench/pieced-edit-cost.mjs [series]
// (not a *.bench.mjs: `npm run bench` does not run it; needs `npm run build` for the schemas).
import { PerformanceObserver } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { deploymentsManifest, REPLICAS_LINE } from './lib/deployments-manifest.mjs';
import { createLanguageService } from '../server/src/language-service.ts';
import { PiecedTextDocument } from '../server/src/document/pieced-text-document.ts';

const series = Number(process.argv[2] ?? 6);
const EDITS = 40;
const manifest = deploymentsManifest(1000);
const uri = 'file:///bench/deployments.yaml';
const around = { manifestsAround: false };

let collections = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push(entry);
}).observe({ entryTypes: ['gc'] });

const validatePath = process.env.KW_BENCH_PATH === 'validate';

/** The readers of an edit, as the server calls them on the path measured. */
function readers(service, content) {
  if (!validatePath) {
    service.updateCrds(uri, content);
    service.diagnosticsWithoutParsing(content, around);
    return;
  }
  service.updateCrds(uri, content);
  service.kustomize.update(uri, content);
  const diagnostics = service.diagnostics(content, around);
  diagnostics.push(...service.workspace.diagnostics(uri, content));
  diagnostics.push(...service.immutableFields(content, manifest.text));
}

function side(name, document, read, update) {
  const service = createLanguageService();
  if (validatePath) readers(service, read(document));
  else service.diagnosticsWithoutParsing(read(document), around);
  let edit = 0;
  return async () => {
    const times = { update: [], read: [] };
    await new Promise((resolve) => setTimeout(resolve, 20));
    collections = [];
    const cpu = process.cpuUsage();
    const grown = [];
    for (let e = 0; e < EDITS; e++, edit++) {
      const doc = Math.floor(((edit * 7919) % EDITS) * ((manifest.starts.length - 1) / EDITS));
      const line = (manifest.starts[doc] ?? 0) + REPLICAS_LINE;
      const text = edit % 2 === 0 ? 'two' : '2';
      const length = edit % 2 === 0 ? 1 : 3;
      const changes = [{ range: { start: { line, character: 12 }, end: { line, character: 12 + length } }, text }];
      let t = performance.now();
      update(document, changes, edit + 2);
      times.update.push(performance.now() - t);
      t = performance.now();
      const heap = process.memoryUsage().heapUsed;
      readers(service, read(document));
      times.read.push(performance.now() - t);
      const growth = process.memoryUsage().heapUsed - heap;
      if (growth >= 0) grown.push(growth / 1024);
    }
    const used = process.cpuUsage(cpu);
    // (The observer hears of the collections on a later turn of the event loop.)
    await new Promise((resolve) => setTimeout(resolve, 20));
    const gc = collections.length;
    const gcMs = collections.reduce((sum, c) => sum + c.duration, 0);
    const total = times.update.map((u, i) => u + times.read[i]);
    console.log(
      `${name.padEnd(7)} update median ${median(times.update)} ms, readers median ${median(times.read)} ms; ` +
        `edit median ${median(total)} / third slowest ${third(total)} ms; ${gc} collections (${gcMs.toFixed(1)} ms)` +
        (validatePath
          ? `; CPU ${((used.user + used.system) / 1000).toFixed(0)} ms, readers allocate ${median(grown)} KiB (median)`
          : ''),
    );
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2);
const third = (xs) => [...xs].sort((a, b) => b - a)[2].toFixed(2);

const library = side(
  'library',
  TextDocument.create(uri, 'yaml', 1, manifest.text),
  (d) => d.getText(),
  (d, changes, version) => TextDocument.update(d, changes, version),
);
const pieced = side(
  'pieced',
  new PiecedTextDocument(uri, 'yaml', 1, manifest.text),
  (d) => d.content,
  (d, changes, version) => d.update(changes, version),
);
// validate's path: the pieced document's whole text too (what that path read before session 16).
const sides = validatePath
  ? [
      library,
      side(
        'wholetx',
        new PiecedTextDocument(uri, 'yaml', 1, manifest.text),
        (d) => d.getText(),
        (d, changes, version) => d.update(changes, version),
      ),
      pieced,
    ]
  : [library, pieced];
for (let s = 0; s < series; s++) for (const run of s % 2 === 0 ? sides : [...sides].reverse()) await run();
