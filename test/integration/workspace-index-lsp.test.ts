// The workspace index over LSP, as an editor drives it: the server scans the
// workspace folder at start, merges cross-resource diagnostics into what it
// publishes for open documents, re-publishes them when a file event changes
// the index, and answers definition, references and code lens requests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';
import { WEB_DEPLOYMENT } from './support/web-deployment.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: info}
`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
`;
const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: big}
`;

const codes = (diagnostics: PublishedDiagnostic[]): string[] => diagnostics.map((d) => String(d.code));

describe('workspace index over LSP', () => {
  let root = '';
  let client: LspClient;
  const uri = (file: string): string => pathToFileURL(join(root, file)).href;
  const open = (file: string, text: string): void => client.openYaml(uri(file), text);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-index-lsp-'));
    writeFileSync(join(root, 'deploy.yaml'), WEB_DEPLOYMENT);
    writeFileSync(join(root, 'svc.yaml'), SERVICE);
    writeFileSync(join(root, 'crd.yaml'), CRD);
    client = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    await client.initialize(root);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('publishes a missing ConfigMap once the start-up scan is done, and clears it when the file is created', async () => {
    const missing = client.nextDiagnostics(uri('deploy.yaml'), (d) => codes(d).includes('missing-reference'));
    open('deploy.yaml', WEB_DEPLOYMENT);
    const [warning] = (await missing).filter((d) => d.code === 'missing-reference');
    assert.deepEqual(warning?.range, { start: { line: 13, character: 42 }, end: { line: 13, character: 50 } });
    assert.equal(warning?.severity, 2);

    const cleared = client.nextDiagnostics(uri('deploy.yaml'), (d) => !codes(d).includes('missing-reference'));
    writeFileSync(join(root, 'config.yaml'), CONFIG_MAP);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('config.yaml'), type: 1 }] });
    assert.deepEqual(codes(await cleared), []);
  });

  it('goes to the ConfigMap from the reference, and counts the Service selecting the Deployment', async () => {
    const locations = (await client.request('textDocument/definition', {
      textDocument: { uri: uri('deploy.yaml') },
      position: { line: 13, character: 45 },
    })) as { uri: string; range: { start: { line: number } } }[];
    assert.deepEqual(
      locations.map((l) => [l.uri, l.range.start.line]),
      [[uri('config.yaml'), 2]],
    );
    const lenses = (await client.request('textDocument/codeLens', { textDocument: { uri: uri('deploy.yaml') } })) as {
      command?: { title: string; arguments?: unknown[] };
    }[];
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['1 reference'],
    );
  });

  it('publishes a large file’s own findings first, then its cross-resource ones', async () => {
    // More documents than INDEX_AFTER_PUBLISH_OVER: the file is indexed after its first publish.
    const configMaps = Array.from(
      { length: 120 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\n`,
    );
    const broken = WEB_DEPLOYMENT.replace('name: settings', 'name: nowhere').replace(
      'spec:\n',
      'spec:\n  replicas: three\n',
    );
    const text = [...configMaps, broken].join('---\n');
    const first = client.nextDiagnostics(uri('big.yaml'));
    const complete = client.nextDiagnostics(uri('big.yaml'), (d) => codes(d).includes('missing-reference'));
    open('big.yaml', text);
    assert.deepEqual(codes(await first), ['wrong-type']);
    assert.deepEqual(codes(await complete).sort(), ['missing-reference', 'wrong-type']);
  });

  it('still learns CRDs at start beside the index (both listen to `initialized`)', async () => {
    const checked = client.nextDiagnostics(uri('widget.yaml'), (d) => d.length > 0);
    open('widget.yaml', WIDGET);
    assert.deepEqual(codes(await checked), ['wrong-type']);
  });
});
