import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createLanguageService } from '../language-service.js';

const service = createLanguageService();

/** What `kubectl get deploy,svc -o yaml` writes: a v1 List with a Deployment and a Service. */
const LIST = [
  'apiVersion: v1', // 0
  'kind: List', // 1
  'metadata:', // 2
  '  resourceVersion: ""', // 3
  'items:', // 4
  '- apiVersion: apps/v1', // 5
  '  kind: Deployment', // 6
  '  metadata:', // 7
  '    name: web', // 8
  '  spec:', // 9
  '    replicas: 1', // 10
  '    selector:', // 11
  '      matchLabels: {app: web}', // 12
  '    template:', // 13
  '      metadata:', // 14
  '        labels: {app: web}', // 15
  '      spec:', // 16
  '        containers:', // 17
  '        - name: web', // 18
  '          image: nginx:1.27', // 19
  '          imagePullPolicy: Sometimes', // 20
  '- apiVersion: v1', // 21
  '  kind: Service', // 22
  '  metadata:', // 23
  '    name: web', // 24
  '  spec:', // 25
  '    selector: {app: web}', // 26
  '    ports:', // 27
  '    - port: 80', // 28
  '      targetPort: 8080', // 29
  '      protocoll: TCP', // 30
  '',
].join('\n');

const codes = (text: string): string[] =>
  service
    .diagnostics(text)
    .map((d) => `${d.range.start.line}:${String(d.code)}`)
    .sort();

describe('list documents (v1 List and *List kinds)', () => {
  it('checks every item as its own manifest, on the item’s own lines, and not the list as a kind', () => {
    assert.deepEqual(codes(LIST), ['20:invalid-enum', '30:unknown-field']);
  });

  it('accepts a clean list without a word', () => {
    const clean = LIST.replace('          imagePullPolicy: Sometimes\n', '').replace('      protocoll: TCP\n', '');
    assert.deepEqual(codes(clean), []);
  });

  it('gives items of a *List kind without apiVersion and kind the list’s (DeploymentList items are Deployments)', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: DeploymentList',
      'items:',
      '- metadata: {name: web}',
      '  spec:',
      '    selector: {matchLabels: {app: web}}',
      '    template:',
      '      metadata: {labels: {app: web}}',
      '      spec: {containers: [{name: web, image: "nginx:1.27", imagePullPolicy: Sometimes}]}',
      '',
    ].join('\n');
    assert.deepEqual(codes(text), ['8:invalid-enum']);
  });

  it('says "kind not set" of an item of a v1 List that has no type, and rejects items that are not objects', () => {
    const text = ['apiVersion: v1', 'kind: List', 'items:', '- metadata: {name: a}', '- just a string', ''].join('\n');
    assert.deepEqual(codes(text), ['3:api-version-not-set', '3:kind-not-set', '4:wrong-type']);
  });

  it('hovers and completes inside an item by the item’s kind', () => {
    const offset = LIST.indexOf('replicas');
    const hover = service.hover(LIST, offset + 1);
    assert.match((hover?.contents as MarkupContent).value, /Deployment\.spec\.replicas/);
    const text = LIST.replace('      protocoll: TCP', '      proto');
    const items = service.complete(text, text.indexOf('proto') + 'proto'.length);
    assert.ok(
      items.some((i) => i.label === 'protocol'),
      JSON.stringify(items.map((i) => i.label)),
    );
  });

  it('outlines a list by its items', () => {
    const [list, ...rest] = service.symbols(LIST);
    assert.equal(rest.length, 0);
    assert.equal(list?.name, 'List (2 items)');
    assert.deepEqual(
      list?.children?.map((c) => [c.name, c.range.start.line]),
      [
        ['Deployment web', 5],
        ['Service web', 21],
      ],
    );
  });

  it('indexes the items for cross-resource checks and go to definition', () => {
    service.workspace.update('file:///ws/list.yaml', LIST, true);
    const lines = service.workspace
      .definition('file:///ws/list.yaml', { line: 26, character: 16 })
      .map((l) => l.range.start.line);
    assert.deepEqual(lines, [15]);
    const unmatched = service.workspace.diagnostics('file:///ws/list.yaml').map((d) => d.code);
    assert.ok(!unmatched.includes('unmatched-service-selector'), JSON.stringify(unmatched));
    service.workspace.update('file:///ws/list.yaml', undefined);
  });
});

describe('quick fixes inside a list item', () => {
  it('inserts a missing field into the item, and offers no whole-document rewrite there', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: apps/v1',
      '  kind: Deployment',
      '  metadata: {name: web}',
      '  spec:',
      '    selector: {matchLabels: {app: web}}',
      '    template:',
      '      metadata:',
      '        labels: {app: api}',
      '      spec:',
      '        containers:',
      '        - image: nginx:1.27',
      '',
    ].join('\n');
    const diagnostics = service.diagnostics(text);
    assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ['missing-required', 'selector-mismatch']);
    const actions = service.codeActions(text, 'file:///list.yaml', diagnostics[0]!.range, diagnostics);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Add required field `name`'],
    );
    const edit = actions[0]?.edit?.changes?.['file:///list.yaml']?.[0];
    assert.equal(edit?.range.start.line, 13);
    assert.match(edit?.newText ?? '', /name: /);
    const cursor = { line: 13, character: 12 };
    assert.deepEqual(
      service.codeActions(text, 'file:///list.yaml', { start: cursor, end: cursor }, []).map((a) => a.title),
      [],
    );
  });
});

describe('hostile lists', () => {
  it('follows an alias for items, and takes items that are not objects or lists that are not lists as errors, never a crash', () => {
    const aliased = [
      'x-items: &all',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: Bad_Name}}',
      'apiVersion: v1',
      'kind: List',
      'items: *all',
      '',
    ].join('\n');
    assert.deepEqual(codes(aliased), ['1:invalid-name']);
    assert.deepEqual(codes('apiVersion: v1\nkind: List\nitems: {a: 1}\n'), ['2:wrong-type']);
    assert.deepEqual(codes('apiVersion: v1\nkind: List\nitems:\n'), []);
    const many = `apiVersion: v1\nkind: List\nitems:\n${'- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, __proto__: {}}\n'.repeat(2000)}`;
    assert.equal(codes(many).filter((c) => c.endsWith('unknown-field')).length, 2000);
  });
});
