// What the editor shows for issue #17's language-server items, over LSP as
// VS Code drives the server: list documents checked item by item (with hover
// inside an item), "apiVersion not set" for a document in a folder of
// manifests, errors where the API server and kubectl point (a selector's
// template labels, an unclosed quote), and custom resources of a v1beta1 CRD.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client.js';
import type { PublishedDiagnostic } from '../support/lsp-client.js';

const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {LOG_LEVEL: info}
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    ports: [{port: 80, protocoll: TCP}]
`;
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: beside}\n';
const NO_API_VERSION = '# the web Service\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n';
const MISMATCH = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;
const UNCLOSED = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\ndata:\n  a: "open\n  b: c\n  d: e\n';
const CRD_V1BETA1 = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  version: v1
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets}
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec: {type: object, properties: {count: {type: integer}}}
`;
const GADGET = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {count: many}\n';

const shown = (diagnostics: PublishedDiagnostic[]): string[] =>
  diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`).sort();

describe('manifest fidelity over LSP', () => {
  let root = '';
  let client: LspClient;
  const uri = (file: string): string => pathToFileURL(join(root, file)).href;
  /** Opens a document and waits for the first diagnostics the predicate accepts. */
  const open = (file: string, text: string, accept = (d: PublishedDiagnostic[]) => d.length > 0) => {
    const published = client.nextDiagnostics(uri(file), accept);
    client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
    return published;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-fidelity-lsp-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', 'config.yaml'), CONFIG_MAP);
    writeFileSync(join(root, 'crd.yaml'), CRD_V1BETA1);
    client = new LspClient([process.execPath, '--import', 'tsx', 'server/src/server.ts', '--stdio']);
    await client.initialize(root);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('checks each item of a v1 List on its own lines, and hovers inside an item by its kind', async () => {
    assert.deepEqual(shown(await open('list.yaml', LIST)), ['11:23 unknown-field']);
    const hover = (await client.request('textDocument/hover', {
      textDocument: { uri: uri('list.yaml') },
      position: { line: 6, character: 4 },
    })) as { contents: { value: string } } | null;
    assert.match(hover?.contents.value ?? '', /ConfigMap\.data/);
  });

  it('says "apiVersion not set" of a document without one in a folder of manifests, on its kind line', async () => {
    const diagnostics = await open('app/service.yaml', NO_API_VERSION, (d) => d.length > 0);
    assert.deepEqual(shown(diagnostics), ['1:0 api-version-not-set']);
    assert.equal(diagnostics[0]?.message, 'apiVersion not set');
  });

  it('puts a selector mismatch on the template labels and an unclosed quote where it opens', async () => {
    assert.deepEqual(shown(await open('app/deploy.yaml', MISMATCH)), ['7:6 selector-mismatch']);
    assert.deepEqual(shown(await open('unclosed.yaml', UNCLOSED)), ['4:5 yaml-syntax/MISSING_CHAR']);
  });

  it('validates custom resources against a v1beta1 CRD found in the workspace', async () => {
    assert.deepEqual(shown(await open('gadget.yaml', GADGET)), ['3:14 wrong-type']);
  });
});
