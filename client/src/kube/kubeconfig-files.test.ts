import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { mergeKubeconfigText } from './kubeconfig-files';

const embedded = `apiVersion: v1
kind: Config
clusters: [{ name: kube-workbench, cluster: { server: 'https://127.0.0.1:4000' } }]
users: [{ name: kube-workbench, user: { token: t } }]
contexts: [{ name: kube-workbench, context: { cluster: kube-workbench, user: kube-workbench, namespace: default } }]
current-context: kube-workbench
`;

describe('kubeconfig merge', () => {
  it("adds the embedded cluster beside the user's entries and keeps the user's current context", () => {
    const user = `apiVersion: v1
kind: Config
clusters: [{ name: prod, cluster: { server: 'https://prod' } }, { name: kube-workbench, cluster: { server: 'https://old' } }]
users: [{ name: me, user: { token: x } }]
contexts: [{ name: prod, context: { cluster: prod, user: me } }]
current-context: prod
`;
    const { text, names } = mergeKubeconfigText(user, embedded);
    const merged = parse(text) as Record<string, { name: string; cluster?: { server: string } }[]>;
    assert.deepEqual(names, ['kube-workbench']);
    assert.deepEqual(
      merged.clusters?.map((c) => `${c.name} ${c.cluster?.server ?? ''}`),
      ['prod https://prod', 'kube-workbench https://127.0.0.1:4000'],
    );
    assert.deepEqual(
      merged.contexts?.map((c) => c.name),
      ['prod', 'kube-workbench'],
    );
    assert.equal((parse(text) as Record<string, unknown>)['current-context'], 'prod');
  });

  it('writes a whole kubeconfig when the user has none', () => {
    const merged = parse(mergeKubeconfigText('', embedded).text) as Record<string, unknown>;
    assert.equal(merged['current-context'], 'kube-workbench');
    assert.equal(merged.kind, 'Config');
  });
});
