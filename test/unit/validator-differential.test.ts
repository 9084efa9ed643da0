// The schema walk was made cheap for issue #18 (one path stack, findings rendered
// only when reported, schema objects resolved once). This proves it reports exactly
// what the walk before it did (kept as `reference-node-validator.ts`): same codes,
// messages, paths and nodes (hence ranges), on the real-world corpus, on single
// mutations of it (bench/lib/mutations.ts) and on input written to break it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { Document } from 'yaml';
import { loadSchemas } from '../../server/kube-model/schema-loader.js';
import type { KubernetesSchemas } from '../../server/kube-model/schema-loader.js';
import { typeOf } from '../../server/src/document/is-manifest.js';
import { listItemDocuments, listOf } from '../../server/src/document/list-items.js';
import { parseManifestFile } from '../../server/src/document/manifest-file.js';
import { nodeAt } from '../../server/src/document/node-at.js';
import { createLanguageService } from '../../server/src/language-service.js';
import { ReferenceNodeValidator } from '../../server/src/validation/reference-node-validator.js';
import { NodeValidator } from '../../server/src/validation/validate-node.js';
import { corpusAvailable, corpusFiles, readCorpusFile } from './support/corpus.js';

interface Mutation {
  readonly text: string;
}
interface MutationsModule {
  mutate: (text: string, schemas: KubernetesSchemas, random: () => number, limit: number) => Mutation[];
  seededRandom: (seed: number) => () => number;
}

const schemas = loadSchemas();

/** Every problem both walks report for every manifest of `text`, in each mode (whole object, patch, closed CRD-style). */
function compare(text: string, label: string): number {
  let checked = 0;
  for (const { parsed } of parseManifestFile(text).chunks) {
    for (const doc of parsed.docs) {
      if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) continue;
      const docs: Document.Parsed[] = listOf(doc) ? listItemDocuments(doc) : [doc];
      for (const item of docs) {
        const type = typeOf(item);
        const schema = type ? schemas.schemaFor(type.apiVersion, type.kind) : undefined;
        if (!type || !schema) continue;
        for (const [closed, partial] of [
          [false, false],
          [false, true],
          [true, false],
        ] as const) {
          const run = (make: typeof NodeValidator | typeof ReferenceNodeValidator): unknown => {
            const v = new make(item, schemas.resolver, type.kind, undefined, closed, partial);
            try {
              v.validate(item.contents, schema, [], nodeAt(item, ['kind']));
            } catch (error) {
              return { threw: String(error) };
            }
            return v.problems.map((p) => ({ code: p.code, message: p.message, path: p.path, range: p.node?.range }));
          };
          assert.deepEqual(
            run(NodeValidator),
            run(ReferenceNodeValidator),
            `${label} (closed ${closed}, patch ${partial})`,
          );
          checked++;
        }
      }
    }
  }
  return checked;
}

describe('schema walk: the fast walk reports what the reference walk does', () => {
  it('on every manifest of the corpus', { skip: !corpusAvailable() && 'corpus not present' }, () => {
    let checked = 0;
    for (const file of corpusFiles()) checked += compare(readCorpusFile(file), file);
    assert.ok(checked > 600, `only ${checked} comparisons`);
  });

  it(
    'on single mutations of the corpus (renamed keys, wrong types, bad enums, dropped required fields)',
    {
      skip: !corpusAvailable() && 'corpus not present',
    },
    async () => {
      const url = pathToFileURL(join(process.cwd(), 'bench', 'lib', 'mutations.ts')).href;
      const { mutate, seededRandom } = (await import(url)) as MutationsModule;
      const random = seededRandom(18);
      let mutations = 0;
      let found = 0;
      for (const file of corpusFiles()) {
        for (const chunk of readCorpusFile(file).split(/^---$/m)) {
          for (const m of mutate(chunk, schemas, random, 6)) {
            compare(m.text, `${file}: ${m.text.slice(0, 60)}`);
            mutations++;
          }
        }
      }
      for (const file of corpusFiles().slice(0, 40)) found += compare(readCorpusFile(file), file);
      assert.ok(mutations > 500 && found > 0, `only ${mutations} mutations`);
    },
  );

  it('on hostile input: deep nesting, prototype keys, huge and fractional numbers, aliases, nulls', () => {
    const deep = (n: number): string => {
      const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: deep', '  annotations:'];
      for (let i = 0; i < n; i++) lines.push(`${'  '.repeat(i + 2)}k${i}:`);
      return lines.join('\n');
    };
    const pod = (...spec: string[]): string =>
      ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...spec.map((l) => `  ${l}`)].join('\n');
    const inputs = [
      deep(150),
      deep(400),
      `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n${'      - '.repeat(1)}${'['.repeat(300)}${']'.repeat(300)}`,
      pod(
        '__proto__: {a: 1}',
        'constructor: x',
        'hasOwnProperty: 1',
        'toString: []',
        'containers: [{name: a, image: b, __proto__: 1}]',
      ),
      pod(
        'containers:',
        '  - name: a',
        '    image: b',
        '    ports: [{containerPort: 1e400}, {containerPort: 99999999999999999999}]',
      ),
      pod(
        'containers: [{name: a, image: b, ports: [{containerPort: 80.5}, {containerPort: -0}, {containerPort: .inf}]}]',
      ),
      pod('terminationGracePeriodSeconds: 1.5', 'priority: 4294967296', 'activeDeadlineSeconds: -1'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 1.0e+3\n  selector:\n  template:',
      pod('base: &b {name: a, image: b}', 'containers: [{<<: *b, imagePullPolicy: Sometimes}, *b, {<<: [*b, *b]}]'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: &m {name: x, labels: {a: b}}',
        'spec:',
        '  containers: [&c {name: a, image: b, env: [*c]}]',
      ].join('\n'),
      [
        'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
        ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
        'apiVersion: v1',
        'kind: ConfigMap',
        'data: *a8',
      ].join('\n'),
      pod(
        'containers: ~',
        'volumes: [~, null, {}, {name: v, hostPath: ~}]',
        'restartPolicy: sometimes',
        'dnsPolicy: 12',
      ),
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: not base64!, b: "", c: 12, "__proto__": x}',
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, spec: {containerz: []}}\n  - {apiVersion: v1, kind: Service, spec: {ports: [{port: "80"}]}}',
      'apiVersion: v1\nkind: ConfigMap\n? [a, b]\n: c\n? {x: 1}\n: d\n1: 2\ntrue: false\n~: y',
      // A required field's value looked up as the package's `get` does: the first of repeated keys, not through
      // a merge key, a `!!set` (whose `get` gives the pair), a key that is an alias or a tagged scalar.
      pod('containers: ~', 'containers: [{name: a, image: b}]'),
      pod('containers: [{name: a, image: b}]', 'containers: ~'),
      pod('<<: {containers: [{name: a, image: b}]}'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: !!set {? containers}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: !!set\n  ? containers\n  ? volumes',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx: &k containers\nspec: {*k : [{name: a, image: b}]}',
      pod('!!str containers: [{name: a, image: b}]', 'volumes: [{name: v, !!str hostPath: {path: /x}}]'),
      pod('containers: [{name: a, image: b}, {image: c}, {name: d}, {name: ~, image: ~}]'),
    ];
    for (const text of inputs) compare(text, text.slice(0, 80));
  });

  it('keeps the diagnostics of the language service on the same hostile input (facade, ranges included)', () => {
    const service = createLanguageService({ cacheCapacity: 0 });
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containerz: []\n  restartPolicy: Sometimes\n';
    const codes = service.diagnostics(text).map((d) => [d.code, d.range.start.line, d.range.start.character]);
    assert.deepEqual(codes, [
      ['unknown-field', 4, 2],
      ['invalid-enum', 5, 17],
      ['missing-required', 3, 0],
    ]);
  });
});
