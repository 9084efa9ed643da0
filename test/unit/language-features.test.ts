import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/language-service.js';

const service = createLanguageService();

/** Text with the cursor written as `|`: the text without it, and the offset. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
const complete = (marked: string): CompletionItem[] => {
  const { text, offset } = at(marked);
  return service.complete(text, offset);
};
const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
const hoverText = (marked: string): string => {
  const { text, offset } = at(marked);
  return (service.hover(text, offset)?.contents as MarkupContent | undefined)?.value ?? '';
};
const newText = (item: CompletionItem | undefined): string =>
  item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : '';

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
];

describe('completion', () => {
  it('offers the keys valid at the cursor, required first, without those already there', () => {
    const items = complete([...DEPLOYMENT, '          |'].join('\n'));
    const names = labels(items);
    assert.ok(names.includes('ports') && names.includes('imagePullPolicy'));
    assert.ok(!names.includes('image') && !names.includes('name'), 'existing keys are not offered again');
    const spec = complete(
      ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: a}', 'spec:', '  |'].join('\n'),
    );
    const sorted = [...spec].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(labels(sorted).slice(0, 2), ['selector', 'template']);
  });

  it('completes a partial key in a later document of a multi-document file, even when the file has errors', () => {
    const items = complete(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'data: [broken',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: a}',
        'spec:',
        '  conta|',
      ].join('\n'),
    );
    const containers = items.find((i) => i.label === 'containers');
    assert.ok(containers);
    assert.equal(newText(containers), 'containers:\n  - name: $1');
  });

  it('offers enum values and booleans', () => {
    assert.deepEqual(
      labels(
        complete(['apiVersion: v1', 'kind: Service', 'metadata: {name: s}', 'spec:', '  type: |'].join('\n')),
      ).sort(),
      ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
    );
    assert.deepEqual(labels(complete([...DEPLOYMENT, '          stdin: |'].join('\n'))), ['true', 'false']);
  });

  it('completes kind before apiVersion and fills apiVersion in', () => {
    const items = complete(['kind: Deplo|', 'metadata: {name: a}'].join('\n'));
    const deployment = items.find((i) => i.label === 'Deployment');
    assert.equal(deployment?.detail, 'apps/v1');
    assert.equal(deployment?.additionalTextEdits?.[0]?.newText, 'apiVersion: apps/v1\n');
  });

  it('offers the apiVersions that serve the kind first', () => {
    const items = complete(['kind: HorizontalPodAutoscaler', 'apiVersion: |'].join('\n'));
    const first = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0];
    assert.match(first?.label ?? '', /^autoscaling\/v/);
  });

  it('offers whole-resource snippets in an empty document', () => {
    const names = labels(complete('|'));
    for (const n of ['Deployment + Service', 'Pod', 'Service', 'Ingress', 'ConfigMap', 'Secret', 'Job', 'CronJob'])
      assert.ok(names.includes(n), n);
  });
});

describe('hover', () => {
  it('describes a field: type, required, default and path', () => {
    const text = hoverText([...DEPLOYMENT, '          ports:', '            - containerP|ort: 80'].join('\n'));
    assert.match(text, /\*\*containerPort\*\*: `integer` — \*\*required\*\*/);
    assert.match(text, /`Deployment\.spec\.template\.spec\.containers\[\]\.ports\[\]\.containerPort`/);
    assert.match(
      hoverText(['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  revisionHistoryL|imit: 3'].join('\n')),
      /Default: `10`/,
    );
  });

  it('says what a kind is, and when its apiVersion was removed', () => {
    assert.match(hoverText(['apiVersion: apps/v1', 'kind: Deploy|ment'].join('\n')), /\*\*Deployment\*\* `apps\/v1`/);
    assert.match(
      hoverText(['apiVersion: extensions/v1beta1', 'kind: Ingr|ess'].join('\n')),
      /removed in Kubernetes 1\.22; use `networking\.k8s\.io\/v1`/,
    );
  });
});

describe('document symbols', () => {
  it('lists one entry per document, named by kind and name, with fields below', () => {
    const symbols = service.symbols(
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', ...DEPLOYMENT].join('\n'),
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['ConfigMap a', 'Deployment web'],
    );
    assert.equal(symbols[1]?.range.start.line, 4);
    assert.ok(symbols[1]?.children?.some((c) => c.name === 'spec'));
  });
});

describe('folding and selection ranges', () => {
  it('folds each document and each multi-line block at its key', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a',
      '  labels:',
      '    x: y',
      'data:',
      '  k: v',
      '---',
      'apiVersion: v1',
      'kind: Secret',
    ].join('\n');
    const folds = service.foldingRanges(text).map((f) => [f.startLine, f.endLine]);
    assert.deepEqual(folds, [
      [0, 7],
      [2, 5],
      [4, 5],
      [6, 7],
      [9, 10],
    ]);
  });

  it('expands a selection from a value to its pair, the enclosing pairs and the document', () => {
    const { text, offset } = at(['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: w|eb'].join('\n'));
    const lines = text.split('\n');
    const pos = { line: 3, character: offset - text.lastIndexOf('\n', offset - 1) - 1 };
    const [range] = service.selectionRanges(text, [pos]);
    const chain: string[] = [];
    for (let r = range; r; r = r.parent) {
      const { start, end } = r.range;
      chain.push(
        start.line === end.line
          ? (lines[start.line] ?? '').slice(start.character, end.character)
          : `${start.line}-${end.line}`,
      );
    }
    assert.deepEqual(chain.slice(0, 3), [
      'web',
      'name: web',
      'metadata:\n  name: web'.split('\n').length === 2 ? '2-3' : '',
    ]);
  });
});
