import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client.js';
import { corpusFiles, readCorpusFile } from '../unit/support/corpus.js';
import { seeded } from '../support/seeded-random.js';

const FRAGMENTS = [
  '{{',
  '}}',
  ':',
  ': ',
  '- ',
  '\t',
  '&a ',
  '*a',
  '!!binary ',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '---\n',
  '\n',
  '  ',
  '#',
  '|\n',
  '>-\n',
  '<<: *a\n',
  '\u0000',
  '\ud800',
  '\uffff',
  'é',
  '? ',
  '%YAML 1.1\n',
  'x'.repeat(5000),
];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 40)));
    case 1:
      return text.slice(0, at) + pick(FRAGMENTS) + text.slice(at);
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines[i] = (random() < 0.5 ? '  ' : '') + (lines[i] ?? '').replace(/^ {2}/, random() < 0.5 ? '' : '    ');
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    default:
      return text.slice(0, at) + pick(FRAGMENTS).repeat(1 + Math.floor(random() * 200)) + text.slice(at);
  }
}

function seeds(): string[] {
  const fromCorpus = corpusFiles().map(readCorpusFile);
  if (fromCorpus.length > 0) return fromCorpus;
  const dir = join(process.cwd(), 'examples', 'hello-web');
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
}

describe('language server under hostile input', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-fuzz-'));
    client = new LspClient([process.execPath, 'server/out/server.js', '--stdio']);
    await client.initialize(dir);
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every edit of 3,000 mutated manifests with diagnostics for that version, and stays up', async () => {
    const random = seeded(424242);
    const pool = seeds();
    const uri = pathToFileURL(join(dir, 'fuzz.yaml')).href;
    let text = pool[0] ?? '';
    let published = client.nextDiagnostics(uri, (_d, v) => v === 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await published;
    for (let version = 2; version <= 3001; version++) {
      // Mostly stack mutations; now and then start again from another real manifest.
      text = random() < 0.1 ? (pool[Math.floor(random() * pool.length)] ?? '') : mutate(text, random);
      if (text.length > 200_000) text = text.slice(0, 200_000);
      published = client.nextDiagnostics(uri, (_d, v) => v === version);
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      const diagnostics = await Promise.race([
        published,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000)),
      ]);
      assert.notEqual(
        diagnostics,
        'timeout',
        `no diagnostics for version ${version}; last text:\n${text.slice(0, 2000)}`,
      );
    }
    assert.equal(client.process.exitCode, null, `server exited: ${client.stderr}`);
  });

  it('answers a 50 MB file, a binary file and an alias bomb with a clear message, never a crash', async () => {
    const cases: [string, string][] = [
      ['huge.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n' + '  k: v\n'.repeat(7_500_000)],
      ['binary.yaml', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
      [
        'bomb.yaml',
        ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: x}', 'data:', '  a: &a [x, x, x, x, x, x, x, x, x]']
          .concat(
            Array.from(
              { length: 9 },
              (_, i) =>
                `  b${i}: &b${i} [${Array(9)
                  .fill(i === 0 ? '*a' : `*b${i - 1}`)
                  .join(', ')}]`,
            ),
          )
          .join('\n'),
      ],
    ];
    for (const [name, text] of cases) {
      const uri = pathToFileURL(join(dir, name)).href;
      const published = client.nextDiagnostics(uri);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const diagnostics = await published;
      if (name === 'huge.yaml') {
        assert.equal(diagnostics.length, 1);
        assert.match(diagnostics[0]?.message ?? '', /this file is \d+ MB; Kube Workbench checks files up to 16 MB/);
      }
    }
    assert.equal(client.process.exitCode, null, `server exited: ${client.stderr}`);
  });
});
