/**
 * The eviction subresource and the node pool through the real API server and
 * kubectl (fake runtime): a budget that allows no disruption refuses with
 * Kubernetes' 429 body; an allowed eviction (policy/v1 or v1beta1 body)
 * deletes the pod and is recorded in the budget; hostile Eviction bodies get
 * 400s naming the problem and change nothing; a Node created with the
 * node-group label gets a kubelet, and deleting it takes its pods with it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { BIN, clusterFixture, tableRows, waitUntil } from './support/cluster-process.js';
import { rawRequest, statusMessage } from './support/raw-api.js';

const PODS = '/api/v1/namespaces/default/pods';
const evict = (name: string, body: unknown) => rawRequest(f.cluster, 'POST', `${PODS}/${name}/eviction`, { body });
const f = clusterFixture('kw-evict-', ['--nodes', '2']);

function runningPod(name: string, app: string, node?: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  ${node ? `nodeName: ${node}` : ''}
  containers: [{name: app, image: busybox}]
`;
}

describe('eviction subresource and node pool', () => {
  it('refuses with 429 and the DisruptionBudget cause while the budget allows nothing', async () => {
    f.apply(runningPod('solo', 'solo'));
    f.apply(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: solo}
spec: {minAvailable: 1, selector: {matchLabels: {app: solo}}}
`);
    await waitUntil('the budget counts the pod', 20, () =>
      f.ok(['get', 'pdb', 'solo', '-o', 'jsonpath={.status.currentHealthy}']) === '1' ? true : undefined,
    );
    const r = await evict('solo', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'solo' } });
    assert.equal(r.status, 429, r.body);
    const body = JSON.parse(r.body) as { reason: string; message: string; details: { causes: unknown[] } };
    assert.equal(body.reason, 'TooManyRequests');
    assert.equal(body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(body.details.causes, [
      { reason: 'DisruptionBudget', message: 'The disruption budget solo needs 1 healthy pods and has 1 currently' },
    ]);
    assert.equal(f.kubectl(['get', 'pod', 'solo']).code, 0, 'the pod is still there');
    const [row] = tableRows(f.ok(['get', 'pdb', 'solo', '--no-headers']));
    assert.deepEqual(row?.slice(0, 4), ['solo', '1', 'N/A', '0']);
  });

  it('refuses hostile Eviction bodies with a 400 and changes nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ metadata: { name: 'other' } }, /name in URL does not match name in Eviction object/],
      [{ deleteOptions: { gracePeriodSeconds: 1.5 } }, /gracePeriodSeconds: must be a non-negative integer/],
      [{ deleteOptions: { gracePeriodSeconds: 1e300 } }, /gracePeriodSeconds/],
      [{ deleteOptions: { propagationPolicy: 'Sideways' } }, /Unsupported value: "Sideways"/],
      [{ deleteOptions: { preconditions: { uid: 7 } } }, /preconditions/],
      [{ kind: 'Pod' }, /kind must be Eviction/],
      [[1, 2], /must be an Eviction object/],
    ];
    for (const [body, message] of cases) {
      const r = await evict('solo', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.body}`);
      assert.match(statusMessage(r.body), message);
    }
    const stale = await evict('solo', { deleteOptions: { preconditions: { uid: 'not-its-uid' } } });
    assert.equal(stale.status, 409, stale.body);
    assert.match(statusMessage(stale.body), /Precondition failed: UID in precondition: not-its-uid/);
    const proto = await evict('solo', '{"__proto__": {"deleteOptions": {"gracePeriodSeconds": 0}}, "metadata": {}}');
    assert.equal(proto.status, 429, proto.body);
    assert.equal(f.kubectl(['get', 'pod', 'solo']).code, 0);
  });

  it('evicts when the budget allows it, recording the pod, for policy/v1beta1 bodies too', async () => {
    f.apply(runningPod('pair-a', 'pair'));
    f.apply(runningPod('pair-b', 'pair'));
    f.apply(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pair}
spec: {minAvailable: 1, selector: {matchLabels: {app: pair}}}
`);
    await waitUntil('one disruption allowed', 20, () =>
      f.ok(['get', 'pdb', 'pair', '-o', 'jsonpath={.status.disruptionsAllowed}']) === '1' ? true : undefined,
    );
    const dry = await rawRequest(f.cluster, 'POST', `${PODS}/pair-a/eviction?dryRun=All`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'pair-a' } },
    });
    assert.equal(dry.status, 201, dry.body);
    assert.equal(f.ok(['get', 'pdb', 'pair', '-o', 'jsonpath={.status.disruptionsAllowed}']), '1');
    const r = await evict('pair-a', {
      apiVersion: 'policy/v1beta1',
      kind: 'Eviction',
      metadata: { name: 'pair-a' },
      deleteOptions: { gracePeriodSeconds: 0 },
    });
    assert.equal(r.status, 201, r.body);
    await waitUntil('the pod gone', 20, () => f.kubectl(['get', 'pod', 'pair-a']).code !== 0);
    const second = await evict('pair-b', { metadata: { name: 'pair-b' } });
    assert.equal(second.status, 429, second.body);
  });

  it('starts a kubelet for a Node created with the node-group label, and deleting it takes its pods', async () => {
    f.apply(`apiVersion: v1
kind: Node
metadata: {name: extra, labels: {kube-workbench.io/node-group: default}}
`);
    await waitUntil('the node ready', 20, () =>
      f.ok(['get', 'node', 'extra', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']) === 'True'
        ? true
        : undefined,
    );
    assert.notEqual(f.ok(['get', 'node', 'extra', '-o', 'jsonpath={.status.allocatable.cpu}']), '');
    f.apply(runningPod('on-extra', 'extra', 'extra'));
    await waitUntil('the pod running on it', 20, () =>
      f.ok(['get', 'pod', 'on-extra', '-o', 'jsonpath={.status.phase}']) === 'Running' ? true : undefined,
    );
    f.ok(['delete', 'node', 'extra']);
    await waitUntil('its pod collected', 20, () => f.kubectl(['get', 'pod', 'on-extra']).code !== 0);
  });

  it('adds a node with `kube-workbench node add` and drains and deletes it with `node remove`', async () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'node', ...args, '--data-dir', f.cluster.dataDir], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    const added = cli('add');
    assert.equal(added.status, 0, added.stderr);
    const name = /^node\/(\S+) added$/m.exec(added.stdout)?.[1];
    assert.ok(name, added.stdout);
    assert.match(f.ok(['get', 'node', name, '--no-headers']), /\sReady\s/);
    f.apply(runningPod('guest', 'guest', name));
    await waitUntil('the pod running', 20, () =>
      f.ok(['get', 'pod', 'guest', '-o', 'jsonpath={.status.phase}']) === 'Running' ? true : undefined,
    );
    const removed = cli('remove', name);
    assert.equal(removed.status, 0, removed.stderr);
    assert.deepEqual(removed.stdout.trim().split('\n'), [
      `node/${name} cordoned`,
      'pod/guest evicted',
      `node/${name} removed`,
    ]);
    assert.notEqual(f.kubectl(['get', 'node', name]).code, 0);
    assert.notEqual(f.kubectl(['get', 'pod', 'guest']).code, 0);
  });
});
