// A large file's first diagnostics from the built server (server/out/server.js: the entry that
// starts the validation worker, then loads the server's bundle with the code cache), as an editor
// sees them: the file's own findings first, exactly what one thread computes, then its
// cross-resource findings; an edit made while the first validation runs is what ends up published;
// and a damaged code cache changes nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createLanguageService } from '../../server/src/language-service.js';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';

/** 150 Deployments: every 10th with `replicas: three`, each reading a ConfigMap nobody defines. */
function bigFile(): string {
  const docs: string[] = [];
  for (let i = 0; i < 150; i++)
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
spec:
  replicas: ${i % 10 === 0 ? 'three' : 2}
  selector:
    matchLabels: {app: web-${i}}
  template:
    metadata:
      labels: {app: web-${i}}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.${i}
          envFrom: [{configMapRef: {name: settings-${i}}}]
`);
  return docs.join('---\n');
}

const sorted = (diagnostics: readonly PublishedDiagnostic[]): string[] =>
  diagnostics.map((d) => JSON.stringify(d)).sort();

describe('first diagnostics of a large file over LSP (built server)', () => {
  let root = '';
  let cacheHome = '';
  const text = bigFile();
  let uri = '';

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kw-first-lsp-'));
    cacheHome = join(root, '.cache');
    mkdirSync(join(root, 'ws'));
    writeFileSync(join(root, 'ws', 'big.yaml'), text);
    uri = pathToFileURL(join(root, 'ws', 'big.yaml')).href;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The publishes for big.yaml after opening it (and `edit`, if given, at once): until one has cross-resource findings. */
  async function session(
    env: Record<string, string>,
    edit?: { line: number; from: number; to: number; text: string },
  ): Promise<{ version: number | undefined; diagnostics: PublishedDiagnostic[] }[]> {
    const saved = { ...process.env };
    Object.assign(process.env, { XDG_CACHE_HOME: cacheHome, KUBE_WORKBENCH_NO_VALIDATION_WORKER: '' }, env);
    const client = new LspClient([process.execPath, 'server/out/server.js', '--stdio']);
    process.env = saved;
    try {
      await client.initialize(join(root, 'ws'));
      const seen: { version: number | undefined; diagnostics: PublishedDiagnostic[] }[] = [];
      const wanted = edit ? 2 : 1;
      const done = client.nextDiagnostics(uri, (diagnostics, version) => {
        seen.push({ version, diagnostics });
        return version === wanted && diagnostics.some((d) => d.code === 'missing-reference');
      });
      client.openYaml(uri, text);
      if (edit)
        client.notify('textDocument/didChange', {
          textDocument: { uri, version: 2 },
          contentChanges: [
            {
              range: { start: { line: edit.line, character: edit.from }, end: { line: edit.line, character: edit.to } },
              text: edit.text,
            },
          ],
        });
      await done;
      return seen;
    } finally {
      await client.shutdown();
      await client.exited;
    }
  }

  it('publishes what one thread computes, then the cross-resource findings; the same with or without the worker', async () => {
    const own = createLanguageService().diagnostics(text, { manifestsAround: false });
    assert.equal(own.filter((d) => d.code === 'wrong-type').length, 15);
    for (const env of [{}, { KUBE_WORKBENCH_NO_VALIDATION_WORKER: '1' }, {}]) {
      const seen = await session(env);
      assert.deepEqual(sorted(seen[0]!.diagnostics), sorted(own as PublishedDiagnostic[]), JSON.stringify(env));
      const last = seen[seen.length - 1]!.diagnostics;
      assert.equal(last.filter((d) => d.code === 'missing-reference').length, 150);
      assert.deepEqual(
        sorted(last.filter((d) => d.code !== 'missing-reference')),
        sorted(own as PublishedDiagnostic[]),
      );
    }
    // The second run with the worker loaded both bundles with the code cache the first wrote.
    const caches = readdirSync(join(cacheHome, 'kube-workbench', 'code-cache'));
    assert.ok(
      caches.some((name) => name.startsWith('server-main.js-server-')),
      caches.join(),
    );
    assert.ok(
      caches.some((name) => name.startsWith('validation-worker.js-validation-worker-')),
      caches.join(),
    );
  });

  it('publishes the edited text when an edit comes during the first validation', async () => {
    // Document 21 (line 5 of it is `replicas: 2`) becomes `replicas: many`.
    const line = 21 * 17 + 5;
    assert.equal(text.split('\n')[line], '  replicas: 2');
    const seen = await session({}, { line, from: 12, to: 13, text: 'many' });
    const last = seen[seen.length - 1]!.diagnostics;
    assert.equal(last.filter((d) => d.code === 'wrong-type').length, 16);
    assert.ok(last.some((d) => d.range.start.line === line && d.code === 'wrong-type'));
    // Nothing published for the first version once the second is known.
    const firstOfTwo = seen.findIndex((s) => s.version === 2);
    assert.ok(seen.slice(firstOfTwo).every((s) => s.version === 2));
  });

  it('publishes each edit made right after the first publish with its own findings, then the cross-resource ones', async () => {
    // 600 Deployments (the file is still being indexed when the edits come); each edit makes one more `replicas` a word.
    const docs = text.split('---\n');
    const large = Array.from({ length: 600 }, (_, i) => (docs[i % docs.length] ?? '').replace(/web-\d+/g, `web-${i}`));
    const folder = join(root, 'edited');
    mkdirSync(folder);
    const file = join(folder, 'large.yaml');
    writeFileSync(file, large.join('---\n'));
    const largeUri = pathToFileURL(file).href;
    const lines = (i: number): number => large.slice(0, i).join('---\n').split('\n').length - 1 + 6;
    const edited = [41, 293, 7, 555].map((doc) => lines(doc));
    const client = new LspClient([process.execPath, 'server/out/server.js', '--stdio']);
    try {
      await client.initialize(folder);
      let current = large.join('---\n');
      const texts = [current];
      const seen: { version: number | undefined; diagnostics: PublishedDiagnostic[] }[] = [];
      const first = client.nextDiagnostics(largeUri, (diagnostics, version) => {
        seen.push({ version, diagnostics });
        return true;
      });
      client.openYaml(largeUri, current);
      await first;
      for (const [i, line] of edited.entries()) {
        const version = i + 2;
        assert.equal(current.split('\n')[line], '  replicas: 2');
        const rows = current.split('\n');
        rows[line] = '  replicas: many';
        current = rows.join('\n');
        texts.push(current);
        const published = client.nextDiagnostics(largeUri, (diagnostics, v) => {
          seen.push({ version: v, diagnostics });
          return v === version;
        });
        client.notify('textDocument/didChange', {
          textDocument: { uri: largeUri, version },
          contentChanges: [{ range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: 'many' }],
        });
        await published;
      }
      await client.nextDiagnostics(largeUri, (diagnostics, v) => {
        seen.push({ version: v, diagnostics });
        return v === texts.length && diagnostics.some((d) => d.code === 'missing-reference');
      });
      // Every publish: exactly that version's own findings, with all its cross-resource ones or none yet.
      for (const { version, diagnostics } of seen) {
        const own = createLanguageService().diagnostics(texts[(version ?? 1) - 1]!, { manifestsAround: false });
        const references = diagnostics.filter((d) => d.code === 'missing-reference').length;
        assert.ok(references === 0 || references === 600, `version ${version}: ${references}`);
        assert.deepEqual(
          sorted(diagnostics.filter((d) => d.code !== 'missing-reference')),
          sorted(own as PublishedDiagnostic[]),
          `version ${version}`,
        );
      }
      assert.equal(seen[seen.length - 1]!.diagnostics.filter((d) => d.code === 'wrong-type').length, 60 + 4);
    } finally {
      await client.shutdown();
      await client.exited;
    }
  });

  it('publishes the editor’s text, not the disk’s, when the file is opened while the start-up scan parses it', async () => {
    // On disk: 1,000 Deployments (the scan parses them in slices); in the editor: every 7th document differs.
    const docs = bigFile().split('---\n');
    const many = (edited: boolean): string =>
      Array.from({ length: 1000 }, (_, i) => {
        const doc = docs[i % docs.length] ?? '';
        const replicas = `replicas: ${edited && i % 7 === 0 ? 'seven' : 2}`;
        return doc.replace(/web-\d+/g, `web-${i}`).replace(/replicas: \w+/, replicas);
      }).join('---\n');
    const folder = join(root, 'scanned');
    mkdirSync(folder);
    writeFileSync(join(folder, 'many.yaml'), many(false));
    const manyUri = pathToFileURL(join(folder, 'many.yaml')).href;
    const editor = many(true);
    const own = createLanguageService().diagnostics(editor, { manifestsAround: false });
    assert.equal(own.filter((d) => d.code === 'wrong-type').length, 143);
    for (const wait of [0, 5, 20, 60]) {
      const client = new LspClient([process.execPath, 'server/out/server.js', '--stdio']);
      try {
        await client.initialize(folder);
        await new Promise((resolve) => setTimeout(resolve, wait));
        const first = client.nextDiagnostics(manyUri, () => true);
        client.openYaml(manyUri, editor);
        assert.deepEqual(
          sorted(await first),
          sorted(own as PublishedDiagnostic[]),
          `opened ${wait} ms after initialize`,
        );
      } finally {
        await client.shutdown();
        await client.exited;
      }
    }
  });

  it('starts and gives the same diagnostics with a damaged code cache', async () => {
    const folder = join(cacheHome, 'kube-workbench', 'code-cache');
    for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not bytecode');
    const seen = await session({});
    const own = createLanguageService().diagnostics(text, { manifestsAround: false });
    assert.deepEqual(sorted(seen[0]!.diagnostics), sorted(own as PublishedDiagnostic[]));
  });
});
