import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from './kube-object';
import { planDrain } from './node-drain';

const pod = (name: string, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...metadata },
});
const owned = (kind: string) => ({ ownerReferences: [{ kind, name: 'x', uid: 'u', controller: true }] });
const names = (pods: KubeObject[]) => pods.map((p) => p.metadata?.name);

describe('planDrain (kubectl drain --ignore-daemonsets --delete-emptydir-data)', () => {
  it('evicts controlled pods, leaves DaemonSet and mirror pods, holds back pods nothing recreates', () => {
    const plan = planDrain([
      pod('web-1', owned('ReplicaSet')),
      pod('db-0', owned('StatefulSet')),
      pod('agent-x', owned('DaemonSet')),
      pod('static', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }),
      pod('bare'),
      // An owner that is not the controller does not make a pod managed.
      pod('loose', { ownerReferences: [{ kind: 'ReplicaSet', name: 'x', uid: 'u' }] }),
      pod('leaving', { ...owned('ReplicaSet'), deletionTimestamp: '2026-01-01T00:00:00Z' }),
    ]);
    assert.deepEqual(names(plan.evict), ['web-1', 'db-0']);
    assert.deepEqual(names(plan.ignored), ['agent-x', 'static']);
    assert.deepEqual(names(plan.unmanaged), ['bare', 'loose']);
  });
});
