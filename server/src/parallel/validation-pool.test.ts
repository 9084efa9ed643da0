/**
 * The first validation of a large file shared with the validation worker gives exactly the
 * diagnostics one thread gives (corpus and example files joined into large files, generated
 * Deployments, hostile input), whichever thread checks which chunk, whether the worker is still
 * warming up, busy or gone; and what the language service remembers from it gives later edits
 * exactly what a fresh service says.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createLanguageService } from '../language-service.js';
import type { LanguageService } from '../language-service.js';
import { ValidationPool } from './validation-pool.js';
import { WARM_UP_ROUNDS } from './validation-worker.js';
import { WORKER_TAG } from './worker-tag.js';
import { PiecedTextDocument } from '../document/pieced-text-document.js';
import type { TextPieces } from '../document/text-pieces.js';
import { CORPUS, EXAMPLES, yamlFiles } from '../test-support/yaml-files.js';

/** The worker from source: this process's TypeScript loader, registered in the thread. */
function sourceWorker(): Worker {
  const main = resolve('server/src/parallel/worker-main.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(main)});`, {
    eval: true,
    workerData: { tag: WORKER_TAG },
  });
}

function deployments(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++)
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
spec:
  replicas: ${i % 37 === 0 ? 'three' : 2}
  selector:
    matchLabels: {app: web-${i}}
  template:
    metadata:
      labels: {app: web-${i}}
    spec:
      containers:
        - name: web
          image: ${i % 11 === 0 ? 'nginx' : `registry.example/web:1.${i}`}
          ports: [{containerPort: ${i % 13 === 0 ? 70000 : 8080}}]
`);
  return docs.join('---\n');
}

/** Input written to break a reader, each repeated into a large file. */
const HOSTILE = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, __proto__: {polluted: true}}\ndata: {__proto__: x}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {replicas: 1.5, selector: {}, template: {}}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: c}\nspec:\n  replicas: 99999999999999999999999\n',
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: ${'['.repeat(300)}${']'.repeat(300)}\n`,
  'apiVersion: v1\nkind: Service\nmetadata: {name: e}\nmetadata: {name: f}\nspec:\n\tports: []\n',
  'metadata: {name: untyped}\nspec: {containers: []}\n',
  'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: g}}\n  - 3\n',
  'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: h}\rspec: {containers: [{name: x}]}\n',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: i}\nstringData: &a {k: *a}\n',
  '{{ template "x" }}\napiVersion: v1\n',
  'key: [unclosed\n',
];

function largeFiles(): { name: string; text: string }[] {
  const files = [...yamlFiles(CORPUS), ...yamlFiles(EXAMPLES)].map((f) => readFileSync(f, 'utf8'));
  const joined: { name: string; text: string }[] = [];
  // The corpus in files of about 150 documents each (documents of every shape, real findings).
  let batch: string[] = [];
  let docs = 0;
  for (const text of files) {
    batch.push(text.endsWith('\n') ? text : `${text}\n`);
    docs += text.split(/^---/m).length;
    if (docs >= 150) {
      joined.push({ name: `corpus ${joined.length}`, text: batch.join('---\n') });
      batch = [];
      docs = 0;
    }
  }
  if (batch.length > 0) joined.push({ name: `corpus ${joined.length}`, text: batch.join('---\n') });
  return [
    { name: 'deployments', text: deployments(400) },
    ...HOSTILE.filter((h) => !h.includes('{{')).map((h, i) => ({
      name: `hostile ${i}`,
      text: Array.from({ length: 120 }, (_, k) => h.replace(/name: (\w+)/, `name: $1-${k}`)).join('---\n'),
    })),
    { name: 'templated', text: Array.from({ length: 120 }, () => HOSTILE[9]).join('---\n') },
    ...joined,
  ];
}

/** Edits `document` into `next` with one change: what differs between the two, as an editor sends it. */
function editTo(document: PiecedTextDocument, next: string): void {
  const text = document.getText();
  let prefix = 0;
  while (prefix < text.length && prefix < next.length && text[prefix] === next[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < text.length - prefix &&
    suffix < next.length - prefix &&
    text[text.length - 1 - suffix] === next[next.length - 1 - suffix]
  )
    suffix++;
  const range = { start: document.positionAt(prefix), end: document.positionAt(text.length - suffix) };
  document.update([{ range, text: next.slice(prefix, next.length - suffix) }], document.version + 1);
  assert.equal(document.getText(), next);
}

describe('the validation pool', () => {
  let pool: ValidationPool;
  let service: LanguageService;
  const files = largeFiles();

  before(() => {
    pool = new ValidationPool(sourceWorker());
    service = createLanguageService({}, { pool });
  });
  after(() => pool.close());

  it('gives the diagnostics one thread gives, while the worker warms up and after', async () => {
    let shared = 0;
    for (const [i, { name, text }] of files.entries()) {
      if (i === 1) assert.ok((await pool.warmedUp) <= WARM_UP_ROUNDS * 6, 'the warm-up ends');
      for (const manifestsAround of [false, true]) {
        const expected = createLanguageService().diagnostics(text, { manifestsAround });
        // The worker's answer to the last file read first, as the server's event loop does between
        // files: else, after a file this thread checked alone, the pool is still busy and the next is
        // checked alone too.
        await pool.idle();
        const fresh = createLanguageService({}, { pool });
        const got = await fresh.diagnosticsInParallel(text, { manifestsAround }, 1);
        assert.deepEqual(got, expected, name);
        shared += pool.lastWorkerShare;
      }
    }
    assert.ok(shared > 0, 'the worker checked some of the chunks');
  });

  it('leaves the service remembering exactly what a fresh one computes, through later edits', async () => {
    for (const { name, text } of files.slice(0, 6)) {
      const got = await service.diagnosticsInParallel(text, { manifestsAround: true }, 1);
      assert.deepEqual(got, createLanguageService().diagnostics(text, { manifestsAround: true }), name);
      assert.deepEqual(service.diagnostics(text), createLanguageService().diagnostics(text), name);
      const edited = text.replace(/replicas: \d+/, 'replicas: two').replace(/name: /, 'name: Upper_');
      assert.deepEqual(service.diagnostics(edited), createLanguageService().diagnostics(edited), name);
    }
  });

  for (const asOpen of [false, true])
    it(`right after, gives edits the diagnostics a fresh service gives, then prepares the file a slice at a time${asOpen ? " (an open document's pieces)" : ''}`, async () => {
      const uri = 'file:///work/large.yaml';
      for (const { name, text } of [...files.slice(0, 6), files[files.length - 1]!]) {
        // As the server reads an open document: its pieces, an edit made of the change from the text before.
        const document = new PiecedTextDocument(uri, 'yaml', 1, text);
        const read = (edited: string): string | TextPieces => {
          if (!asOpen) return edited;
          editTo(document, edited);
          return document.content;
        };
        const around = { manifestsAround: true };
        const prepared = createLanguageService({}, { pool });
        await prepared.diagnosticsInParallel(text, around, 1);
        // Edits as they come while the file is prepared: one in place, lines added at the top, a rename.
        const edits = [
          text,
          text.replace(/replicas: \d+/, 'replicas: two'),
          `# added\n# lines\n${text.replace(/replicas: \d+/, 'replicas: two')}`,
          `# added\n# lines\n${text.replace(/replicas: \d+/, 'replicas: two').replace(/name: /g, 'name: x')}`,
        ];
        let slices = 0;
        for (const [i, edited] of edits.entries()) {
          const expected = createLanguageService().diagnostics(edited, around);
          const given = read(edited);
          assert.deepEqual(prepared.diagnosticsWithoutParsing(given, around), expected, `${name}, edit ${i}`);
          // Two slices of one chunk each (the deadline is past) between edits, the last text's to the end.
          const until = i === edits.length - 1 ? Infinity : 0;
          for (let k = 0; k < 2 && !prepared.prepareSlice(uri, given, until); k++) slices++;
        }
        assert.ok(slices > 2, name);
        const last = edits[edits.length - 1]!;
        const fresh = createLanguageService();
        assert.deepEqual(prepared.diagnostics(last, around), fresh.diagnostics(last, around), name);
        assert.deepEqual(prepared.workspace.diagnostics(uri, last), fresh.workspace.diagnostics(uri, last), name);
        assert.deepEqual(prepared.workspace.codeLenses(uri), fresh.workspace.codeLenses(uri), name);
        // And the edits after it as usual.
        const later = last.replace(/replicas: \d+/, 'replicas: [1]');
        assert.deepEqual(prepared.diagnostics(later, around), fresh.diagnostics(later, around), name);
      }
    });

  it('checks with the settings in force (rules switched off, another Kubernetes version)', async () => {
    const configured = createLanguageService({}, { pool });
    const reference = createLanguageService();
    const settings = { kubernetesVersion: '1.33', disabledRules: ['image-tag', 'resource-limits'] };
    configured.configure(settings);
    reference.configure(settings);
    const text = files[0]!.text;
    assert.deepEqual(await configured.diagnosticsInParallel(text, undefined, 1), reference.diagnostics(text));
  });

  it('is not used for small files, and gives the same answer alone when the worker is busy or gone', async () => {
    assert.equal(service.diagnosticsInParallel('apiVersion: v1\nkind: Pod\n', undefined, 2), undefined);
    const text = files[0]!.text;
    const expected = createLanguageService().diagnostics(text);
    // Two at once: the second finds the worker busy and checks every chunk on this thread.
    const [a, b] = await Promise.all([
      createLanguageService({}, { pool }).diagnosticsInParallel(text, undefined, 1),
      createLanguageService({}, { pool }).diagnosticsInParallel(text, undefined, 1),
    ]);
    assert.deepEqual(a, expected);
    assert.deepEqual(b, expected);
    // Gone in the middle of a file: what it took is checked here.
    const dying = new ValidationPool(sourceWorker());
    await dying.warmedUp;
    const worker = (dying as unknown as { worker: Worker }).worker;
    const exited = once(worker, 'exit');
    const during = createLanguageService({}, { pool: dying }).diagnosticsInParallel(text, undefined, 1);
    void worker.terminate();
    assert.deepEqual(await during, expected);
    await exited;
    assert.equal(dying.available, false);
    assert.deepEqual(
      await createLanguageService({}, { pool: dying }).diagnosticsInParallel(text, undefined, 1),
      expected,
    );
  });
});
