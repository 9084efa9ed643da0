/**
 * Kinds the embedded cluster stores without acting on them (RBAC,
    for (const kind of ['Role', 'RoleBinding', 'NetworkPolicy'])
      assert.match(r.err, new RegExp(`^Warning: ${kind} is stored by the embedded cluster but not`, 'm'));
    assert.doesNotMatch(r.err, /PodDisruptionBudget is stored/);
    assert.doesNotMatch(r.err, /HorizontalPodAutoscaler is stored/);
 * through the real kubectl, an application's manifest that carries them
 * applies whole, each create warns that it has no effect here, kubectl shows
 * them with their columns, and deleting their namespace removes them.
 * A PodDisruptionBudget in the same manifest is acted on, so it does not warn.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';

const BUNDLE = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default, namespace: shop}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
`;

describe('kinds stored without effect', () => {
  const c = clusterFixture('kw-inert-');
  const { ok } = c;

  it('applies a manifest that carries them, warning for each that it has no effect here', () => {
    const r = c.kubectl(['apply', '-f', '-'], BUNDLE);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /horizontalpodautoscaler\.autoscaling\/web created/);
    for (const kind of ['Role', 'RoleBinding', 'NetworkPolicy'])
      assert.match(r.err, new RegExp(`^Warning: ${kind} is stored by the embedded cluster but not`, 'm'));
    assert.doesNotMatch(r.err, /PodDisruptionBudget is stored/);
    assert.doesNotMatch(r.err, /HorizontalPodAutoscaler is stored/);
  });

  it('lists them with their own columns', () => {
    const [hpa] = tableRows(ok(['get', 'hpa', '-n', 'shop', '--no-headers']));
    assert.deepEqual(hpa?.slice(0, 7), ['web', 'Deployment/web', 'cpu:', '<unknown>/70%', '2', '5', '0']);
    const [binding] = tableRows(ok(['get', 'rolebinding', '-n', 'shop', '--no-headers']));
    assert.deepEqual(binding?.slice(0, 2), ['reader', 'Role/reader']);
    const [pdb] = tableRows(ok(['get', 'pdb', '-n', 'shop', '--no-headers']));
    assert.deepEqual(pdb?.slice(0, 4), ['web', '1', 'N/A', '0']);
    const [policy] = tableRows(ok(['get', 'netpol', '-n', 'shop', '--no-headers']));
    assert.deepEqual(policy?.slice(0, 2), ['web-only', 'app=web']);
  });

  it('removes them with their namespace', async () => {
    ok(['delete', 'namespace', 'shop', '--wait=false']);
    await waitUntil('the namespace gone', 30, () => c.kubectl(['get', 'namespace', 'shop']).code !== 0);
    assert.equal(ok(['get', 'roles,rolebindings,hpa,pdb,netpol', '-A', '--no-headers', '-o', 'name']).trim(), '');
  });
});
