// Kustomize in the language server, over LSP as an editor drives it: a file an
// overlay uses as a patch is checked as a patch (no "missing required field"),
// kustomization files get schema and missing-file diagnostics, completion of
// paths and target names, and go to definition to files and patched resources.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';
import { WEB_DEPLOYMENT } from './support/web-deployment.js';

// The generated ConfigMap is what the Deployment names: not a missing reference.
const BASE = `resources:
  - deployment.yaml
configMapGenerator:
  - name: settings
    literals: [A=1]
`;
const OVERLAY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: prod-
resources:
  - ../../base
patches:
  - path: replicas.yaml
  - path: gone.yaml
  - target:
      kind: Deployment
      name: web
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 2
replicaz: []
`;
// A partial Deployment: no selector or template (fine in a patch), and one field of the wrong type.
const PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: three
`;

// Valid as a patch; the Deployment it renders has a port out of range, reported on this line.
const PORT_PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - containerPort: 70000
`;

const codes = (diagnostics: PublishedDiagnostic[]): string[] => diagnostics.map((d) => String(d.code)).sort();

describe('kustomize over LSP', { timeout: 30_000 }, () => {
  let root = '';
  let client: LspClient;
  const uri = (file: string): string => pathToFileURL(join(root, file)).href;
  const open = (file: string, text: string): void => client.openYaml(uri(file), text);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-kustomize-lsp-'));
    mkdirSync(join(root, 'base'));
    mkdirSync(join(root, 'overlays', 'prod'), { recursive: true });
    writeFileSync(join(root, 'base', 'kustomization.yaml'), BASE);
    writeFileSync(join(root, 'base', 'deployment.yaml'), WEB_DEPLOYMENT);
    writeFileSync(join(root, 'overlays', 'prod', 'kustomization.yaml'), OVERLAY);
    writeFileSync(join(root, 'overlays', 'prod', 'replicas.yaml'), PATCH);
    mkdirSync(join(root, 'overlays', 'staging'));
    writeFileSync(
      join(root, 'overlays', 'staging', 'kustomization.yaml'),
      'resources: [../../base]\npatches:\n  - path: port.yaml\n',
    );
    writeFileSync(join(root, 'overlays', 'staging', 'port.yaml'), PORT_PATCH);
    // An overlay whose patch relabels the pods: the base's selector no longer matches, in this overlay only.
    mkdirSync(join(root, 'overlays', 'canary'));
    writeFileSync(
      join(root, 'overlays', 'canary', 'kustomization.yaml'),
      'resources: [../../base]\npatches:\n  - path: labels.yaml\n',
    );
    writeFileSync(
      join(root, 'overlays', 'canary', 'labels.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata:\n      labels: {app: canary}\n',
    );
    client = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    await client.initialize(root);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('checks a patch file as a patch: its wrong type, never a missing required field', async () => {
    // Before the start-up scan has read the overlay the file looks like a whole manifest; wait for the patch view.
    const checked = client.nextDiagnostics(
      uri('overlays/prod/replicas.yaml'),
      (d) => !codes(d).includes('missing-required'),
    );
    open('overlays/prod/replicas.yaml', PATCH);
    const diagnostics = await checked;
    assert.deepEqual(codes(diagnostics), ['wrong-type']);
    assert.equal(diagnostics[0]?.range.start.line, 5);
  });

  it('places an error of the rendered output on the patch line that introduced it', async () => {
    const checked = client.nextDiagnostics(uri('overlays/staging/port.yaml'), (d) => d.length > 0);
    open('overlays/staging/port.yaml', PORT_PATCH);
    const diagnostics = await checked;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['invalid-port', 10]],
    );
    assert.match(diagnostics[0]?.message ?? '', /70000/);
  });

  it('checks a base in each overlay, and says which overlay renders it wrong', async () => {
    const checked = client.nextDiagnostics(uri('base/deployment.yaml'), (d) => d.length > 0);
    open('base/deployment.yaml', WEB_DEPLOYMENT);
    const diagnostics = await checked;
    // Only the canary overlay breaks it; the staging port error stays on staging's patch.
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['selector-mismatch', 8]],
    );
    assert.match(diagnostics[0]?.message ?? '', /\(in overlay canary\)$/);
  });

  it('reports a missing patch file and an unknown field on their lines in the kustomization', async () => {
    const checked = client.nextDiagnostics(uri('overlays/prod/kustomization.yaml'), (d) => d.length > 0);
    open('overlays/prod/kustomization.yaml', OVERLAY);
    const diagnostics = await checked;
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]).sort(), [
      ['kustomize-missing-file', 7],
      ['unknown-field', 15],
    ]);
    assert.match(diagnostics.find((d) => d.code === 'unknown-field')?.message ?? '', /did you mean `replicas`/);
  });

  it('completes paths relative to the kustomization and the names of the bases’ resources', async () => {
    const edited = OVERLAY.replace('  - ../../base\n', '  - ../../\n');
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml'), version: 2 },
      contentChanges: [{ text: edited }],
    });
    const paths = (await client.request('textDocument/completion', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml') },
      position: { line: 4, character: 10 },
    })) as { label: string }[];
    assert.ok(
      paths.some((i) => i.label === 'base/'),
      JSON.stringify(paths.map((i) => i.label)),
    );
    assert.ok(paths.some((i) => i.label === 'overlays/'));

    client.notify('textDocument/didChange', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml'), version: 3 },
      contentChanges: [{ text: OVERLAY.replace('      name: web\n', '      name: \n') }],
    });
    const names = (await client.request('textDocument/completion', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml') },
      position: { line: 10, character: 12 },
    })) as { label: string }[];
    assert.deepEqual(
      names.map((i) => i.label),
      ['web'],
    );
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml'), version: 4 },
      contentChanges: [{ text: OVERLAY }],
    });
  });

  it('describes a kustomization field on hover', async () => {
    const hover = (await client.request('textDocument/hover', {
      textDocument: { uri: uri('overlays/prod/kustomization.yaml') },
      position: { line: 2, character: 3 },
    })) as { contents: { value: string } } | null;
    assert.match(
      hover?.contents.value ?? '',
      /^\*\*namePrefix\*\*: `string`\n\nPrepended to the name of every resource/,
    );
  });

  it('goes from a patch entry to its file, and from the patch and a target to the resource they patch', async () => {
    const definition = async (file: string, line: number, character: number) =>
      (
        (await client.request('textDocument/definition', {
          textDocument: { uri: uri(file) },
          position: { line, character },
        })) as { uri: string; range: { start: { line: number } } }[]
      ).map((l) => [l.uri, l.range.start.line]);
    assert.deepEqual(await definition('overlays/prod/kustomization.yaml', 6, 12), [
      [uri('overlays/prod/replicas.yaml'), 0],
    ]);
    assert.deepEqual(await definition('overlays/prod/kustomization.yaml', 4, 8), [[uri('base/kustomization.yaml'), 0]]);
    assert.deepEqual(await definition('overlays/prod/kustomization.yaml', 10, 14), [[uri('base/deployment.yaml'), 3]]);
    assert.deepEqual(await definition('overlays/prod/replicas.yaml', 3, 9), [[uri('base/deployment.yaml'), 3]]);
  });
});
