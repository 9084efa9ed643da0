import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../language-service.js';

const service = createLanguageService();

describe('YAML syntax diagnostics', () => {
  it('reports a duplicate key in a manifest at the key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    const [d, ...rest] = service.diagnostics(text);
    assert.equal(rest.length, 0);
    assert.ok(d);
    assert.equal(d.code, 'duplicate-key');
    assert.equal(d.source, 'kube-workbench');
    assert.deepEqual(d.range.start, { line: 4, character: 2 });
  });

  it('reports a syntax error in the second document of a multi-document file', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: Pod\nspec: [a, b\n';
    const diagnostics = service.diagnostics(text);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.match(String(d.code), /^yaml-syntax\//);
      assert.ok(d.range.start.line >= 3, `range ${JSON.stringify(d.range)} is in the second document`);
    }
  });

  it('stays silent on YAML that is not a manifest', () => {
    assert.deepEqual(service.diagnostics('name: a\nname: b\n'), []);
  });

  it('stays silent on Helm templates', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n  name: x\n';
    assert.deepEqual(service.diagnostics(text), []);
  });
});
