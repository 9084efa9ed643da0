// The plain-value pass (features/plain-findings.ts) against the node path, compared by
// what a user sees: the diagnostics (message, code, range, severity, order) of every
// corpus and example file, of the same files with findings put in, of generated
// Deployments with and without findings and of hostile input, under several settings,
// once with the pass and once without (`setPlainPass`). Also: the plain values equal
// the `yaml` package's `toJS` wherever the plain parser takes a document.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadSchemas } from '../../server/kube-model/schema-loader.js';
import { EDGE_CASES, MUST_TAKE_FAST_PATH } from '../../server/src/document/fast-yaml/edge-cases.js';
import { flowCases } from '../../server/src/document/fast-yaml/flow-edge-cases.js';
import { plainScalarValue, resolvePlainScalar } from '../../server/src/document/fast-yaml/resolve-plain-scalar.js';
import { parseManifestFile } from '../../server/src/document/manifest-file.js';
import { plainParse } from '../../server/src/document/plain-parse.js';
import { splitDocuments } from '../../server/src/document/split-documents.js';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/document/yaml-options.js';
import { computeDiagnostics } from '../../server/src/features/diagnostics.js';
import type { DiagnosticsOptions } from '../../server/src/features/diagnostics.js';
import { plainChunkFindings, setPlainPass } from '../../server/src/features/plain-findings.js';
import { CrdRegistry } from '../../server/src/schema/crd-registry.js';
import { CORPUS, EXAMPLES, yamlFiles } from '../../server/src/test-support/yaml-files.js';

const schemas = loadSchemas();
const crds = new CrdRegistry();
crds.update(
  'crd.yaml',
  parseManifestFile(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1 }
                color: { type: string, enum: [red, blue] }
`),
);

const SETTINGS: readonly [string, DiagnosticsOptions][] = [
  ['defaults', { schemas, crds, disabledRules: new Set() }],
  ['manifests around', { schemas, crds, disabledRules: new Set(), manifestsAround: true }],
  ['as a patch', { schemas, crds, disabledRules: new Set(), asPatch: true }],
  ['rules off', { schemas, crds, disabledRules: new Set(['image-tag', 'api-validation']) }],
];

after(() => setPlainPass(true));

let clean = 0;
let findings = 0;

/** Diagnostics of `text` with and without the pass, each on a fresh parse (nothing shared), under every setting. */
function compare(text: string, where: string, settings = SETTINGS): void {
  for (const [name, options] of settings) {
    setPlainPass(false);
    const nodes = computeDiagnostics(parseManifestFile(text), options);
    setPlainPass(true);
    const plain = computeDiagnostics(parseManifestFile(text), options);
    assert.deepEqual(plain, nodes, `${where} (${name})`);
    findings += nodes.length;
  }
  for (const chunk of splitDocuments(text)) if (plainChunkFindings(chunk.text, SETTINGS[0]![1])) clean++;
}

function deployment(i: number, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  labels: { app: web-${i} }
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
    spec:
      containers:
        - name: web
          image: "registry.example/web:1.${i}"
          ports:
            - containerPort: ${8000 + i}
              name: http
          resources:
            requests: { cpu: 100m, memory: 128Mi }
          env:
            - name: INDEX
              value: "${i}"
${extra}`;
}

/** Each puts one finding (or one thing the plain parser must refuse) into a Deployment. */
const DEPLOYMENT_MUTATIONS: readonly [RegExp, string][] = [
  [/replicas: 2/, 'replicas: 2.5'],
  [/replicas: 2/, 'replicas: 1e400'],
  [/replicas: 2/, 'replicas: 12345678901234567890'],
  [/replicas: 2/, 'replicas: -1'],
  [/replicas: 2/, 'replicas: "2"'],
  [/replicas: 2/, 'replicas: three'],
  [/replicas: 2/, 'replicas:'],
  [/replicas: 2/, 'replicas: 2\n  __proto__: 1'],
  [/replicas: 2/, 'replicas: 2\n  constructor: 1'],
  [/replicas: 2/, 'replicas: 2\n  toString: x'],
  [/replicas: 2/, 'replicas: 2\n  replicas: 3'],
  [/replicas: 2/, 'replicas: 2\n  1: x'],
  [/replicas: 2/, 'replicas: 2\n  on: x'],
  [/replicas: 2/, 'replicas: &r 2\n  paused: *r'],
  [/replicas: 2/, 'replicas: !!int 2'],
  [/replicas: 2/, 'replicas:\n    2'],
  [/name: web\n/, 'nmae: web\n'],
  [/name: web\n/, 'name: Web_Server\n'],
  [/name: web\n/, 'name:\n'],
  [/containerPort: \d+/, 'containerPort: 70000'],
  [/containerPort: \d+/, 'containerPort: "http"'],
  [/name: http/, 'name: http\n              protocol: tcp'],
  [/name: http/, 'name: http\n              hostPort: 0.5'],
  [/cpu: 100m/, 'cpu: lots'],
  [/memory: 128Mi/, 'memory: 128MB'],
  [/image: "[^"]*"/, 'image: nginx'],
  [/image: "[^"]*"/, 'image: nginx:latest'],
  [/image: "[^"]*"/, 'image: "nginx@sha256:abc"'],
  [/value: "(\d+)"/, 'value: $1'],
  [/value: "(\d+)"/, 'value: "$1"\n            - name: INDEX\n              value: again'],
  [/matchLabels:\n\s+app: web-\d+/, 'matchLabels:\n      app: other'],
  [/labels: \{ app: web-\d+ \}/, 'labels: { app: -bad- }'],
  [/labels: \{ app: web-\d+ \}/, 'labels: {}'],
  [/labels: \{ app: web-\d+ \}/, 'labels:\n    app: x\n    "key with space": y'],
  [/kind: Deployment/, 'kind: DeploymentList'],
  [/kind: Deployment/, 'kind: Deploymnet'],
  [/apiVersion: apps\/v1/, 'apiVersion: extensions/v1beta1'],
  [/apiVersion: apps\/v1/, 'apiVersion: apps/v2'],
  [/apiVersion: apps\/v1/, 'apiVersion: 1'],
  [/\n/g, '\r\n'],
  [/^/, '\uFEFF'],
  [/^/, '---\n'],
  [/^/, '--- # first\n'],
  [/^/, '%YAML 1.1\n---\n'],
  [/$/, '...\n'],
  [/$/, '---\n'],
  [/$/, '# trailing comment\n'],
  [/name: web\n/, 'name: "w\\u00e9b"\n'],
  [/name: web\n/, 'name: wéb-ünï\n'],
  [/name: web\n/, "name: 'it''s'\n"],
  [/name: web\n/, 'name: web # a comment\n'],
  [/name: web\n/, 'name:\tweb\n'],
  [/ {10}image/, '\t  image'],
  [
    /name: web\n/,
    'name: web\n          command:\n            - sh\n            - -c\n            - |\n              echo hi\n              sleep 1\n',
  ],
  [/name: web\n/, 'name: web\n          args: [\n            "a",\n            "b"\n          ]\n'],
  [/name: web\n/, 'name: web\n          args: [a, {b: c}]\n'],
  [/name: web\n/, 'name: web\n          args: [a, [b]]\n'],
  [/name: web\n/, 'name: web\n          args: []\n          env: []\n'],
  [/name: web\n/, 'name: web\n          workingDir: >\n            folded\n            text\n'],
  [/name: web\n/, 'name: web\n          workingDir: two\n            lines\n'],
  [/name: web\n/, 'name: web\n          workingDir: "two\n            lines"\n'],
  [/name: web\n/, 'name: web\n          ? workingDir\n          : x\n'],
  [/name: web\n/, 'name: web\n          <<: { workingDir: x }\n'],
  [/spec:\n {6}containers/, 'spec:\n      hostNetwork: yes\n      containers'],
  [/spec:\n {6}containers/, 'spec:\n      hostNetwork: 1\n      containers'],
  [/spec:\n {6}containers/, 'spec:\n      nodeSelector: { "": x }\n      containers'],
  [/spec:\n {6}containers/, 'spec:\n      nodeSelector:\n        "a": ~\n      containers'],
];

/** Hostile documents of their own. */
function hostile(): string[] {
  let deep = 'x: 1';
  for (let i = 0; i < 150; i++) deep = `a:\n${deep.replace(/^/gm, '  ')}`;
  let flowDeep = '1';
  for (let i = 0; i < 120; i++) flowDeep = `[${flowDeep}]`;
  return [
    '',
    '# only a comment\n',
    '---\n---\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    'apiVersion: v1\nkind: ConfigMap\n',
    'apiVersion: v1\n',
    'kind: ConfigMap\nmetadata:\n  name: x\n',
    'metadata:\n  name: x\nspec: {}\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  __proto__: x\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  hasOwnProperty: x\n  valueOf: y\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  "1": x\n  "0755": y\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbinaryData:\n  a: not base64!\n',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${deep}\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: ${flowDeep}\n`,
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i:1\n      ports:\n        - containerPort: 80\n          protocol: UDP\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n  selector:\n    app: web\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n      targetPort: 1.5\n',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n  color: red\n',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n  colour: red\n',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n',
    'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    a: ' + 'x'.repeat(300_000) + '\n',
    'apiVersion: v1\r\nkind: ConfigMap\rmetadata:\r\n  name: x\r\n',
    '[1, 2]\n',
    '- a\n- b\n',
    '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n',
  ];
}

describe('diagnostics with the plain-value pass equal those without it', () => {
  it('on every corpus and example file', () => {
    const files = [...yamlFiles(CORPUS), ...yamlFiles(EXAMPLES)];
    for (const file of files) compare(readFileSync(file, 'utf8'), file);
    assert.ok(files.length === 0 || clean > 200, `only ${clean} chunks taken by the plain pass`);
  });

  it('on corpus files with findings put in', () => {
    const mutations: [RegExp, string][] = [
      [/name: /, 'nmae: '],
      [/: (\d+)\n/, ': $1.5\n'],
      [/: (\d+)\n/, ': 1e400\n'],
      [/: (\d+)\n/, ': "$1"\n'],
      [/image: ([^\s]+)/, 'image: $1:latest'],
      [/protocol: TCP/, 'protocol: tcp'],
      [/\n(\s+)name: /, '\n$1__proto__: 1\n$1name: '],
      [/kind: (\w+)/, 'kind: $1List'],
      [/\n/g, '\r\n'],
    ];
    for (const file of yamlFiles(CORPUS))
      for (const [from, to] of mutations)
        compare(readFileSync(file, 'utf8').replace(from, to), `${file} with ${String(from)}`, SETTINGS.slice(0, 1));
  });

  it('on generated Deployments, clean and with one finding each', () => {
    const before = findings;
    compare(Array.from({ length: 40 }, (_, i) => deployment(i)).join('---\n'), 'clean Deployments');
    DEPLOYMENT_MUTATIONS.forEach(([from, to], i) => {
      const file = [deployment(i), deployment(i + 1).replace(from, to), deployment(i + 2)].join('---\n');
      compare(file, `Deployment with ${String(from)} -> ${JSON.stringify(to)}`);
    });
    assert.ok(findings - before > 150, `only ${findings - before} findings compared`);
  });

  it('on hostile documents and the fast path edge cases', () => {
    for (const text of hostile()) compare(text, JSON.stringify(text.slice(0, 200)));
    const manifest = (body: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: ${body}`;
    for (const text of [...flowCases(), ...EDGE_CASES, ...MUST_TAKE_FAST_PATH]) {
      compare(text, JSON.stringify(text), SETTINGS.slice(0, 1));
      compare(manifest(text), JSON.stringify(manifest(text)), SETTINGS.slice(0, 1));
    }
  });
});

describe('the plain parser', () => {
  it("gives the yaml package's values wherever it takes a document", () => {
    let taken = 0;
    const texts = [
      ...yamlFiles(CORPUS).flatMap((file) => splitDocuments(readFileSync(file, 'utf8')).map((c) => c.text)),
      ...EDGE_CASES,
      ...MUST_TAKE_FAST_PATH,
      ...flowCases(),
      ...DEPLOYMENT_MUTATIONS.map(([from, to]) => deployment(1).replace(from, to)),
      ...hostile(),
    ];
    for (const text of texts) {
      const plain = plainParse(text);
      if (plain === undefined) continue;
      taken++;
      const docs = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
      assert.ok(Array.isArray(docs) && docs.length === 1, JSON.stringify(text));
      assert.deepEqual(docs[0]?.errors, [], JSON.stringify(text));
      assert.deepStrictEqual(plain, docs[0]?.toJS({ maxAliasCount: 100 }), JSON.stringify(text));
    }
    assert.ok(taken > 100, `only ${taken} documents taken`);
  });

  it('resolves plain scalars as the fast path does', () => {
    const sources = EDGE_CASES.flatMap((text) => text.split(/[\s:,[\]{}]+/)).filter((s) => s !== '');
    for (const s of [
      ...sources,
      'e3',
      'E3',
      'e3x',
      'exactly',
      'Yesterday',
      'nulled',
      'falsehood',
      'offset',
      '.5e3',
      'Infinity',
    ]) {
      assert.ok(Object.is(plainScalarValue(s), resolvePlainScalar(s).value), s);
    }
  });
});
