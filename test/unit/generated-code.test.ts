// Generated code and its generators. The protobuf message table
// (client/orchestrator/api/protobuf/proto-messages.ts) is printed by
// scripts/generate-protobuf.mjs from Kubernetes' generated.proto files, which
// the repository does not hold: the generator is checked on .proto files of
// our own (test/fixtures/protobuf), the checked-in table is checked to be
// exactly the generator's print of itself, and, when the Kubernetes modules
// are on this machine (KUBE_WORKBENCH_PROTO_API and
// KUBE_WORKBENCH_PROTO_APIMACHINERY name their folders), exactly what they give.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROTO_MESSAGES } from '../../client/orchestrator/api/protobuf/proto-messages';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'protobuf');
const generator = () => import('../../scripts/generate-protobuf.mjs');
const fixture = (name: string) => ({ where: name, text: readFileSync(join(FIXTURES, name), 'utf8') });

const WIDGETS = 'example.io.widgets.v1';
const META = 'example.io.meta.v1';
const EXPECTED = {
  [`${META}.ListMeta`]: { '1': ['continue', 'one', 'string'] },
  [`${META}.Meta`]: { '1': ['name', 'one', 'string'], '2': ['labels', 'map', 'string'] },
  [`${WIDGETS}.Size`]: { '1': ['value', 'one', 'string'] },
  [`${WIDGETS}.Widget`]: {
    '1': ['metadata', 'one', `${META}.Meta`],
    '2': ['spec', 'one', `${WIDGETS}.WidgetSpec`],
    '3': ['status', 'one', `${WIDGETS}.WidgetStatus`],
  },
  [`${WIDGETS}.WidgetList`]: {
    '1': ['metadata', 'one', `${META}.ListMeta`],
    '2': ['items', 'repeated', `${WIDGETS}.Widget`],
  },
  [`${WIDGETS}.WidgetSpec`]: {
    '1': ['colors', 'repeated', 'string'],
    '2': ['labels', 'map', 'string'],
    '3': ['limits', 'map', `${WIDGETS}.Size`],
    '4': ['replicas', 'one', 'int32'],
    '5': ['paused', 'one', 'bool'],
    '6': ['blob', 'one', 'bytes'],
    '7': ['generation', 'one', 'int64'],
    '8': ['total', 'one', 'example.io.Quantity'],
  },
  [`${WIDGETS}.WidgetStatus`]: {},
};

describe('protobuf message table generator', () => {
  it('turns .proto files into the table: field numbers, cardinalities, types resolved across packages', async () => {
    const { tableFromProtos } = await generator();
    const table = tableFromProtos([fixture('widgets.proto'), fixture('meta.proto')], [fixture('scope.proto')]);
    assert.deepEqual(table, EXPECTED);
    assert.deepEqual(Object.keys(table), Object.keys(EXPECTED).sort(), 'messages are sorted by full name');
  });

  it('prints a TypeScript module that evaluates to the same table (round trip)', async () => {
    const { tableFromProtos, formatModule } = await generator();
    const table = tableFromProtos([fixture('widgets.proto'), fixture('meta.proto')], [fixture('scope.proto')]);
    const text = await formatModule(table, ['A test table.']);
    const dir = mkdtempSync(join(tmpdir(), 'kwb-protobuf-'));
    try {
      const file = join(dir, 'table.ts');
      writeFileSync(file, text);
      const printed = (await import(file)) as { PROTO_MESSAGES: unknown };
      assert.deepEqual(printed.PROTO_MESSAGES, EXPECTED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it does not understand instead of skipping it', async () => {
    const { tableFromProtos } = await generator();
    const source = (text: string) => [{ where: 'bad.proto', text: `syntax = "proto2";\npackage bad;\n${text}` }];
    assert.throws(
      () => tableFromProtos(source('message A { optional Missing m = 1; }')),
      /type Missing is not declared/,
    );
    assert.throws(() => tableFromProtos(source('message A { message B { } }')), /not a field/);
    assert.throws(
      () => tableFromProtos(source('message A { optional string a = 1; optional string b = 1; }')),
      /twice/,
    );
    assert.throws(() => tableFromProtos(source('enum E { X = 0; }')), /unexpected statement/);
    assert.throws(() => tableFromProtos([{ where: 'bad.proto', text: 'message A { }' }]), /no package/);
  });
});

describe('the checked-in protobuf message table', () => {
  const checkedIn = () =>
    readFileSync(join(ROOT, 'client', 'orchestrator', 'api', 'protobuf', 'proto-messages.ts'), 'utf8');

  it('is exactly what the generator prints for its table and the module versions in its header', async () => {
    const { formatModule, headerFor, versionsOf } = await generator();
    const text = checkedIn();
    assert.equal(await formatModule(PROTO_MESSAGES, headerFor(versionsOf(text))), text);
  });

  it('resolves every message type a field names, except the packages read only for their names', () => {
    const outside = new Set<string>();
    for (const fields of Object.values(PROTO_MESSAGES))
      for (const [, , type] of Object.values(fields))
        if (type.includes('.') && !(type in PROTO_MESSAGES)) outside.add(type.slice(0, type.lastIndexOf('.')));
    assert.deepEqual([...outside], ['k8s.io.api.scheduling.v1alpha3']);
  });

  const api = process.env.KUBE_WORKBENCH_PROTO_API;
  const apimachinery = process.env.KUBE_WORKBENCH_PROTO_APIMACHINERY;
  it(
    'is what the Kubernetes generated.proto files give',
    { skip: api && apimachinery ? false : 'set KUBE_WORKBENCH_PROTO_API and KUBE_WORKBENCH_PROTO_APIMACHINERY' },
    async () => {
      const { generateProtobufTable, versionsOf } = await generator();
      const text = checkedIn();
      assert.equal(
        await generateProtobufTable({ api: api ?? '', apimachinery: apimachinery ?? '' }, versionsOf(text)),
        text,
      );
    },
  );
});
