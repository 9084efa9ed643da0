// Immutable fields in the editor: a manifest whose committed version (git HEAD) holds
// the object it updates gets a warning on each field the API server would refuse to
// change (here a Deployment's selector and an immutable ConfigMap's data), none for a
// mutable change, none outside git or for an uncommitted file, and the warning follows a new commit (on save).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gitShowCommitted } from '../../server/src/workspace/git-baseline.js';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';

const manifest = (app: string, replicas: number, setting: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
immutable: true
data: {mode: ${setting}}
`;

/** More documents than a file validated at once on opening (its own findings first, then the rest). */
const many = (app: string): string =>
  [
    manifest(app, 2, 'fast'),
    ...Array.from({ length: 120 }, (_, i) => `kind: ConfigMap\napiVersion: v1\nmetadata: {name: c${i}}\n`),
  ].join('---\n');

const immutable = (diagnostics: PublishedDiagnostic[]): PublishedDiagnostic[] =>
  diagnostics.filter((d) => d.code === 'immutable-field');
const git = (cwd: string, ...args: string[]): void => {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'ignore' });
};

describe('immutable fields against the committed version, over LSP', () => {
  let repo = '';
  let outside = '';
  let client: LspClient;
  let version = 1;
  const uriOf = (root: string, file: string): string => pathToFileURL(join(root, file)).href;
  const open = (uri: string, text: string): void =>
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: version++, text } });
  const change = (uri: string, text: string): void =>
    client.notify('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ text }] });

  before(async () => {
    repo = mkdtempSync(join(tmpdir(), 'kw-immutable-'));
    outside = mkdtempSync(join(tmpdir(), 'kw-immutable-outside-'));
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'app.yaml'), manifest('web', 2, 'fast'));
    writeFileSync(join(repo, 'many.yaml'), many('web'));
    git(repo, 'add', 'app.yaml', 'many.yaml');
    git(repo, 'commit', '-q', '-m', 'first');
    client = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    await client.initialize(repo);
  });
  after(async () => {
    await client.shutdown();
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('warns on a changed selector and on changed immutable data, on the lines that changed', async () => {
    const uri = uriOf(repo, 'app.yaml');
    const warned = client.nextDiagnostics(uri, (d) => immutable(d).length === 2);
    open(uri, manifest('api', 3, 'slow'));
    const found = immutable(await warned);
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.severity]),
      [
        [6, 2],
        [20, 2],
      ],
    );
    assert.match(found[0]?.message ?? '', /^spec\.selector: Invalid value: .*field is immutable .*git \(HEAD\)/);
    assert.match(found[1]?.message ?? '', /^data: Forbidden: field is immutable when `immutable` is set/);
  });

  it('warns in a large file too, its baseline read once its first findings are out', async () => {
    const uri = uriOf(repo, 'many.yaml');
    const warned = client.nextDiagnostics(uri, (d) => immutable(d).length === 1);
    open(uri, many('api'));
    assert.deepEqual(
      immutable(await warned).map((d) => d.range.start.line),
      [6],
    );
  });

  it('says nothing for a change the update allows (replicas)', async () => {
    const uri = uriOf(repo, 'app.yaml');
    const clean = client.nextDiagnostics(uri, (d, v) => v === version - 1 && immutable(d).length === 0);
    change(uri, manifest('web', 5, 'fast'));
    assert.deepEqual(immutable(await clean), []);
  });

  it('has no baseline for a file outside git or not committed', async () => {
    writeFileSync(join(outside, 'app.yaml'), manifest('web', 2, 'fast'));
    writeFileSync(join(repo, 'new.yaml'), manifest('web', 2, 'fast'));
    assert.equal(await gitShowCommitted(outside, 'app.yaml'), undefined);
    assert.equal(await gitShowCommitted(repo, 'new.yaml'), undefined);
    assert.equal(await gitShowCommitted(repo, 'app.yaml'), manifest('web', 2, 'fast'));
  });

  it('follows a new commit: the committed selector becomes the baseline after a save', async () => {
    const uri = uriOf(repo, 'app.yaml');
    const edited = manifest('api', 3, 'slow');
    const warned = client.nextDiagnostics(uri, (d) => immutable(d).length === 2);
    change(uri, edited);
    await warned;
    writeFileSync(join(repo, 'app.yaml'), edited);
    git(repo, 'commit', '-q', '-am', 'second');
    const cleared = client.nextDiagnostics(uri, (d) => immutable(d).length === 0);
    client.notify('textDocument/didSave', { textDocument: { uri } });
    assert.deepEqual(immutable(await cleared), []);
  });
});
