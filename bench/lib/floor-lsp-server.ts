// The floor of row 1 (issue #18): the cheapest language server that does what first diagnostics must do, over
// the same transport as our server (LSP over stdio, Content-Length framing). It answers `initialize`, and on a
// `textDocument/didOpen` decodes the message (UTF-8, `JSON.parse`), does what its mode says, and publishes an
// empty diagnostics notification. Bundled by bench/first-diagnostics-floor.mjs with the server's own options and
// started as `node floor.js MODE`, as our server.js is started. Modes:
//   raw    publishes once the message's bytes are all read (no decode)
//   json   + the UTF-8 decode and `JSON.parse` of the message
//   yaml   + split at the `---` markers and each document parsed by the `yaml` package (the server's options)
//   fast   + the same with our fast parser (the `yaml` package where it bails), as our server parses
//   yaml2, fast2  the same on two threads: a worker started with the process takes the second half of the documents
//          (`initialize` is answered once the worker is up, so its start is not in the figure)
//   fastw, fast2w  fast, fast2 after each thread parsed the server's warm-up sample (`warmUpSample`) `WARM_ROUNDS`
//          times before `initialize` is answered: the parse's code compiled and optimised, as the server hopes
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { parseDocument } from 'yaml';
import { fastParseDocuments } from '../../server/src/document/fast-yaml/index.js';
import { splitDocuments } from '../../server/src/document/split-documents.js';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/document/yaml-options.js';
import { warmUpSample } from '../../server/src/parallel/warm-up-sample.js';

const WARM_ROUNDS = Number(process.env.KW_FLOOR_WARM_ROUNDS ?? 200);

/** Parses the warm-up sample `WARM_ROUNDS` times when the mode says so (its name ends in `w`). */
function warmUp(mode: string): void {
  if (!mode.endsWith('w')) return;
  for (let round = 0; round < WARM_ROUNDS; round++) {
    const text = warmUpSample(round);
    parseRange(text, 0, splitDocuments(text).length, true);
  }
}

/** Parses the documents `from` to `to` of `text`; returns how many nodes of the first level it saw (kept alive). */
function parseRange(text: string, from: number, to: number, fast: boolean): number {
  const chunks = splitDocuments(text);
  let seen = 0;
  for (let i = from; i < Math.min(to, chunks.length); i++) {
    const chunk = chunks[i]?.text ?? '';
    const docs = (fast ? fastParseDocuments(chunk) : undefined) ?? [parseDocument(chunk, MANIFEST_YAML_OPTIONS)];
    seen += docs.length;
  }
  return seen;
}

function serve(mode: string): void {
  const threads = mode.includes('2') ? 2 : 1;
  const fast = mode.startsWith('fast');
  const worker = threads === 2 ? new Worker(__filename, { argv: [mode] }) : undefined;
  // The worker says once it is up (and warmed up): `initialize` waits for it.
  let ready: Promise<unknown> = worker ? new Promise((resolve) => worker.once('message', resolve)) : Promise.resolve();
  worker?.unref();
  warmUp(mode);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let needed = -1;

  const send = (message: unknown): void => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
    process.stdout.write(body);
  };
  const publish = (uri: string): void => {
    send({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: 1, diagnostics: [] } });
  };

  const onOpen = (body: Buffer): void => {
    if (mode === 'raw') {
      // The uri is near the start of the message: read without decoding the rest.
      const head = body.subarray(0, 4096).toString('latin1');
      publish(/"uri":"([^"]*)"/.exec(head)?.[1] ?? '');
      return;
    }
    const message = JSON.parse(body.toString('utf8')) as { params: { textDocument: { uri: string; text: string } } };
    const { uri, text } = message.params.textDocument;
    if (mode === 'json') return publish(uri);
    const count = splitDocuments(text).length;
    if (!worker) {
      parseRange(text, 0, count, fast);
      return publish(uri);
    }
    const half = Math.floor(count / 2);
    worker.once('message', () => publish(uri));
    worker.postMessage({ text, from: half, to: count });
    parseRange(text, 0, half, fast);
  };

  const onMessage = (body: Buffer): void => {
    // Only `didOpen` is large; the others are decoded as they come.
    if (body.length > 65536) return onOpen(body);
    const message = JSON.parse(body.toString('utf8')) as { id?: number; method?: string };
    if (message.method === 'initialize') {
      const id = message.id;
      void ready.then(() => send({ jsonrpc: '2.0', id, result: { capabilities: { textDocumentSync: 1 } } }));
      ready = Promise.resolve();
    } else if (message.method === 'shutdown') send({ jsonrpc: '2.0', id: message.id, result: null });
    else if (message.method === 'exit') process.exit(0);
    else if (message.method === 'textDocument/didOpen') onOpen(body);
  };

  // The pieces of the message being read, joined once it is whole (not at each 64 kB read).
  process.stdin.on('data', (piece: Buffer) => {
    pending.push(piece);
    pendingLength += piece.length;
    for (;;) {
      if (needed < 0) {
        const all = Buffer.concat(pending, pendingLength);
        const end = all.indexOf('\r\n\r\n');
        if (end < 0) return;
        needed = Number(/Content-Length: (\d+)/i.exec(all.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        pending = [all.subarray(end + 4)];
        pendingLength = all.length - end - 4;
      }
      if (pendingLength < needed) return;
      const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingLength);
      const rest = all.subarray(needed);
      pending = [rest];
      pendingLength = rest.length;
      const length = needed;
      needed = -1;
      onMessage(all.subarray(0, length));
    }
  });
}

if (isMainThread) serve(process.argv[2] ?? 'json');
else {
  const mode = process.argv[2] ?? 'yaml2';
  warmUp(mode);
  parentPort?.postMessage('ready');
  parentPort?.on('message', ({ text, from, to }: { text: string; from: number; to: number }) => {
    parentPort?.postMessage(parseRange(text, from, to, mode.startsWith('fast')));
  });
}
