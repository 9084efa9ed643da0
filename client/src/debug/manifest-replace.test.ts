import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from '../run/manifest-documents';
import { sourceWithObject } from './manifest-replace';

const TEXT = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: settings # kept as written',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers: [{ name: app, image: x, command: [python3, app.py] }]',
  '',
].join('\n');

function why(out: { text: string } | string): string {
  return typeof out === 'string' ? out : 'replaced';
}

describe('sourceWithObject', () => {
  it('replaces the one document, keeps the others as written', () => {
    const web = parseManifests(TEXT).documents[1]!.object;
    const changed = { ...web, metadata: { ...web.metadata, labels: { debug: 'yes' } } };
    const out = sourceWithObject({ text: TEXT, extra: 1 }, changed);
    assert.ok(typeof out !== 'string', why(out));
    assert.equal(out.extra, 1);
    assert.ok(out.text.startsWith(TEXT.slice(0, TEXT.indexOf('---'))), 'the ConfigMap, comment included, unchanged');
    const docs = parseManifests(out.text).documents.map((d) => d.object);
    assert.equal(docs.length, 2);
    assert.deepEqual(docs[1], changed);
  });

  it('refuses what it cannot replace exactly once', () => {
    const web = parseManifests(TEXT).documents[1]!.object;
    assert.match(why(sourceWithObject({ text: TEXT }, { ...web, metadata: { name: 'other' } })), /cannot find/);
    assert.match(why(sourceWithObject({ text: `${TEXT}---\n${TEXT.split('---\n')[1]}` }, web)), /cannot find/);
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n';
    const item = parseManifests(list).documents[0]!.object;
    assert.match(why(sourceWithObject({ text: list }, item)), /List/);
  });
});
