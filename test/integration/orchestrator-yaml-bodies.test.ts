/**
 * YAML request bodies (`Content-Type: application/yaml`), as the Kubernetes
 * API server accepts them for create and update: what they create is what
 * kubectl then shows; hostile YAML (alias bombs, deep nesting, several
 * documents, duplicate keys) gets a 400 naming its line and column, nothing
 * is stored, and `__proto__` keys stay plain keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture } from './support/cluster-process';
import { rawRequest, statusMessage } from './support/raw-api';

const YAML = 'application/yaml';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

describe('YAML request bodies', () => {
  const c = clusterFixture('kw-yaml-body-');
  const { ok } = c;
  const send = (method: string, path: string, body: string) =>
    rawRequest(c.cluster, method, path, { body, contentType: YAML });

  it('creates and updates from YAML, with YAML 1.1 scalars as kubectl reads them', async () => {
    let r = await send(
      'POST',
      CONFIGMAPS,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {tier: "web"}\ndata:\n  mode: "0755"\n',
    );
    assert.equal(r.status, 201, r.body);
    assert.equal(ok(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode} {.metadata.labels.tier}']), '0755 web');
    const rv = ok(['get', 'cm', 'settings', '-o', 'jsonpath={.metadata.resourceVersion}']);
    r = await send(
      'PUT',
      `${CONFIGMAPS}/settings`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, resourceVersion: "${rv}"}\ndata: {mode: changed}\n`,
    );
    assert.equal(r.status, 200, r.body);
    assert.equal(ok(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}']), 'changed');
    // A Deployment: `replicas: 0x2` is YAML 1.1 hex, an integer.
    r = await send(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0x2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`,
    );
    assert.equal(r.status, 201, r.body);
    assert.equal(ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
  });

  it('refuses hostile YAML with 400 and its position, storing nothing', async () => {
    let bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const cases: [string, RegExp][] = [
      [bomb, /more than 100 aliases at line \d+, column \d+/],
      [
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(200_000)}\n`,
        /exceeded max depth .* at line 4, column \d+/,
      ],
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n---\nkind: Secret\n',
        /holds more than one document; send one \(the second starts at line 4, column 1\)/,
      ],
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\nmetadata: {name: dup2}\n',
        /Map keys must be unique \("metadata"\) at line 4, column 1/,
      ],
      ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken}\n', /error decoding YAML: .* at line 3, column \d+/],
    ];
    // A body of 1.5 million tiny values (3 MiB) is refused at once, not composed for minutes.
    cases.push([
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\nx: [${'1,'.repeat(1_500_000)}]\n`,
      /more than 100000 values at line 4/,
    ]);
    for (const [body, pattern] of cases) {
      const r = await send('POST', CONFIGMAPS, body);
      assert.equal(r.status, 400, r.body);
      assert.match(statusMessage(r.body), pattern);
    }
    assert.doesNotMatch(ok(['get', 'cm', '-o', 'name']), /bomb|deep|two|dup|wide/);
  });

  it('keeps a __proto__ key as a plain data key', async () => {
    const r = await send(
      'POST',
      CONFIGMAPS,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proto\ndata:\n  __proto__: value\n  other: x\n',
    );
    assert.equal(r.status, 201, r.body);
    const got = JSON.parse(ok(['get', 'cm', 'proto', '-o', 'json'])) as { data: Record<string, string> };
    assert.deepEqual(Object.entries(got.data), [
      ['__proto__', 'value'],
      ['other', 'x'],
    ]);
  });

  it('still refuses media types it does not read with 415', async () => {
    const r = await rawRequest(c.cluster, 'POST', CONFIGMAPS, { body: 'x', contentType: 'text/csv' });
    assert.equal(r.status, 415, r.body);
    assert.match(statusMessage(r.body), /application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/);
  });
});
