// What one edit's new text costs the server (issue #18, row 2): the text document library makes a new
// flat string of the whole file per edit; a string over V8's regular object size (128 KiB) goes to the
// large-object space, fresh pages from the system each time. Prints, per size, the ms per edit of that
// copy (a concatenation around a 2-character change, read once as the library does), against the same
// characters cut into pieces under that size with only the edited piece made again; then the library's
// own `update` on the 1,000-Deployment file of bench/lsp-deployments.bench.mjs, edited as that bench does.
//   node bench/large-string-cost.mjs [edits]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { deploymentsManifest, REPLICAS_LINE } from './lib/deployments-manifest.mjs';

const edits = Number(process.argv[2] ?? 40);
const PIECE = 32 * 1024;

/** Median ms of `edit(i)` over `edits` calls. */
function median(edit) {
  const times = [];
  for (let i = 0; i < edits; i++) {
    const t = performance.now();
    edit(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)].toFixed(3);
}

const line = 'spec:\n  replicas: 2\n  template: {}\n'.repeat(40_000);
for (const size of [64 * 1024, 120 * 1024, 140 * 1024, 300 * 1024, 600 * 1024, 1024 * 1024]) {
  let whole = line.slice(0, size);
  const flat = median((i) => {
    const at = (i * 7919) % (size - 2);
    whole = whole.substring(0, at) + 'ab' + whole.substring(at + 2, whole.length);
    whole.charCodeAt(at);
  });
  const pieces = [];
  for (let at = 0; at < size; at += PIECE) pieces.push(line.slice(at, Math.min(size, at + PIECE)));
  const piecewise = median((i) => {
    const at = (i * 7919) % (size - 2);
    const p = Math.floor(at / PIECE);
    const piece = pieces[p];
    const inner = Math.min(at - p * PIECE, piece.length - 2);
    pieces[p] = piece.substring(0, inner) + 'ab' + piece.substring(inner + 2);
    pieces[p].charCodeAt(inner);
  });
  console.log(
    `${String(Math.round(size / 1024)).padStart(5)} KiB: whole text ${flat} ms, pieces of ${PIECE / 1024} KiB ${piecewise} ms`,
  );
}

const manifest = deploymentsManifest(1000);
const document = TextDocument.create('file:///deployments.yaml', 'yaml', 1, manifest.text);
const library = median((e) => {
  const doc = Math.floor(((e * 7919) % edits) * ((manifest.starts.length - 1) / edits));
  const at = (manifest.starts[doc] ?? 0) + REPLICAS_LINE;
  TextDocument.update(
    document,
    [{ range: { start: { line: at, character: 12 }, end: { line: at, character: 13 } }, text: 'two' }],
    e + 2,
  );
});
console.log(`library update, ${Math.round(manifest.text.length / 1024)} KiB file: ${library} ms`);
