// What an edit of the 1,000-Deployment file costs on the server's `publishSoon` path, in one process
// (issue #18, row 2): the text document library's TextDocument with the readers taking its whole text,
// against PiecedTextDocument with the readers taking its pieces. Per side, series of 40 edits in turn
// (the edits of bench/lsp-deployments.bench.mjs): ms per edit of `update`, then `updateCrds` and
// `diagnosticsWithoutParsing` as the server calls them, and the collections in each series (a
// PerformanceObserver on `gc`).
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

function side(name, document, read, update) {
  const service = createLanguageService();
  service.diagnosticsWithoutParsing(read(document), around);
  let edit = 0;
  return async () => {
    const times = { update: [], read: [] };
    await new Promise((resolve) => setTimeout(resolve, 20));
    collections = [];
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
      const content = read(document);
      service.updateCrds(uri, content);
      service.diagnosticsWithoutParsing(content, around);
      times.read.push(performance.now() - t);
    }
    // (The observer hears of the collections on a later turn of the event loop.)
    await new Promise((resolve) => setTimeout(resolve, 20));
    const gc = collections.length;
    const gcMs = collections.reduce((sum, c) => sum + c.duration, 0);
    const total = times.update.map((u, i) => u + times.read[i]);
    console.log(
      `${name.padEnd(7)} update median ${median(times.update)} ms, readers median ${median(times.read)} ms; ` +
        `edit median ${median(total)} / third slowest ${third(total)} ms; ${gc} collections (${gcMs.toFixed(1)} ms)`,
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
for (let s = 0; s < series; s++) for (const run of s % 2 === 0 ? [library, pieced] : [pieced, library]) await run();
