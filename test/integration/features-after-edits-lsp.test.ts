// Hover, completion, code actions, symbols, folding and selection ranges in a large open file after
// edits, over LSP as VS Code drives the server: after each edit (a value made a word, a new `---`
// document, CRLF line ends, a line removed), the edited document answers at the edit exactly what a
// document freshly opened with the same text answers (the server reads the edited one's pieces, the
// fresh one's whole text).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';

const COUNT = 300;

function deployment(i: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: web-${i}`,
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    `      app: web-${i}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: web-${i}`,
    '    spec:',
    '      containers:',
    '        - name: web',
    `          image: nginx:1.${i}`,
    '',
  ].join('\n');
}

/** Each document's lines and its `---` line. */
const LINES_PER = 18;
const TEXT = Array.from({ length: COUNT }, (_, i) => deployment(i)).join('---\n');

/** The edits, each with the cursor asked about after it. */
const EDITS: { change: TextDocumentContentChangeEvent; at: { line: number; character: number } }[] = [
  // `replicas: two` in document 40: a type error, and its quick fixes.
  {
    change: {
      range: { start: { line: 40 * LINES_PER + 5, character: 12 }, end: { line: 40 * LINES_PER + 5, character: 13 } },
      text: 'two',
    },
    at: { line: 40 * LINES_PER + 5, character: 2 },
  },
  // A new document in the middle of document 120 (a Service, half written).
  {
    change: {
      range: { start: { line: 120 * LINES_PER + 4, character: 0 }, end: { line: 120 * LINES_PER + 4, character: 0 } },
      text: '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  \n',
    },
    at: { line: 120 * LINES_PER + 10, character: 2 },
  },
  // A CRLF line end in document 206's labels; asked on its image.
  {
    change: {
      range: {
        start: { line: 206 * LINES_PER + 11, character: 13 },
        end: { line: 206 * LINES_PER + 12, character: 0 },
      },
      text: '\r\n',
    },
    at: { line: 206 * LINES_PER + 16, character: 12 },
  },
  // A line of document 10 removed (its `selector:` key): a required field gone; asked on the line before.
  {
    change: {
      range: { start: { line: 10 * LINES_PER + 6, character: 0 }, end: { line: 10 * LINES_PER + 7, character: 0 } },
      text: '',
    },
    at: { line: 10 * LINES_PER + 5, character: 2 },
  },
  // A key typed on the file's last line, in the last container.
  {
    change: {
      range: {
        start: { line: COUNT * LINES_PER - 1, character: 0 },
        end: { line: COUNT * LINES_PER - 1, character: 0 },
      },
      text: '          ima',
    },
    at: { line: COUNT * LINES_PER - 1, character: 13 },
  },
];

describe('features after edits of a large file, over LSP', () => {
  let root = '';
  let freshRoot = '';
  // The edited document in one server, each fresh open in another: neither's workspace index holds the other's.
  let client: LspClient;
  let freshClient: LspClient;
  const uri = (file: string, at = root): string => pathToFileURL(join(at, file)).href;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-features-edits-'));
    freshRoot = mkdtempSync(join(tmpdir(), 'kw-features-fresh-'));
    client = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    freshClient = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    await Promise.all([client.initialize(root), freshClient.initialize(freshRoot)]);
  });
  after(async () => {
    await Promise.all([client.shutdown(), freshClient.shutdown()]);
    rmSync(root, { recursive: true, force: true });
    rmSync(freshRoot, { recursive: true, force: true });
  });

  /** Every feature at a cursor, with these diagnostics for the code actions. */
  const ask = async (
    client: LspClient,
    target: string,
    at: { line: number; character: number },
    near: PublishedDiagnostic[],
  ) => {
    const textDocument = { uri: target };
    return {
      hover: await client.request('textDocument/hover', { textDocument, position: at }),
      completion: await client.request('textDocument/completion', { textDocument, position: at }),
      actions: await client.request('textDocument/codeAction', {
        textDocument,
        range: { start: at, end: at },
        context: { diagnostics: near },
      }),
      selection: await client.request('textDocument/selectionRange', { textDocument, positions: [at] }),
      symbols: await client.request('textDocument/documentSymbol', { textDocument }),
      folding: await client.request('textDocument/foldingRange', { textDocument }),
    };
  };

  it('answers at each edit what a fresh open of the same text answers', { timeout: 120_000 }, async () => {
    const edited = uri('edited.yaml');
    const mirror = TextDocument.create(edited, 'yaml', 1, TEXT);
    const opened = client.nextDiagnostics(edited, () => true);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: edited, languageId: 'yaml', version: 1, text: TEXT },
    });
    await opened;
    for (const [i, { change, at }] of EDITS.entries()) {
      const version = i + 2;
      TextDocument.update(mirror, [change], version);
      const published = client.nextDiagnostics(edited, () => true);
      client.notify('textDocument/didChange', { textDocument: { uri: edited, version }, contentChanges: [change] });
      const got = await published;
      const fresh = uri(`fresh-${i}.yaml`, freshRoot);
      const freshPublished = freshClient.nextDiagnostics(fresh, () => true);
      freshClient.notify('textDocument/didOpen', {
        textDocument: { uri: fresh, languageId: 'yaml', version: 1, text: mirror.getText() },
      });
      await freshPublished;
      // The same diagnostics given to both for their quick fixes: the edited document's near the cursor.
      const near = got.filter((d) => Math.abs(d.range.start.line - at.line) < 3);
      const answers = await ask(client, edited, at, near);
      const freshAnswers = await ask(freshClient, fresh, at, near);
      freshClient.notify('textDocument/didClose', { textDocument: { uri: fresh } });
      // The code actions name their document: the fresh one's, named as the edited one.
      assert.deepStrictEqual(
        JSON.parse(JSON.stringify(answers).replaceAll(edited, 'DOC')),
        JSON.parse(JSON.stringify(freshAnswers).replaceAll(fresh, 'DOC')),
        `edit ${i}`,
      );
      assert.ok(
        answers.hover !== null || (answers.completion as unknown[]).length > 0,
        `edit ${i}: something answered`,
      );
    }
  });
});
