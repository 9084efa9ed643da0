/**
 * The node autoscaler on real containers, through kubectl: two nodes of 1
 * cpu and a Deployment whose requests need a third: a node is added from the
 * template and every pod runs; scaled down, the extra node is drained and
 * removed after the (shortened) unneeded time. Both are visible as events and
 * in the cluster-autoscaler-status ConfigMap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tableRows } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

interface PodList {
  items: { metadata: { name: string }; spec: { nodeName?: string }; status: { phase?: string } }[];
}

describe('node autoscaling on Docker', () => {
  let dc: DockerCluster;
  const ok = (args: string[]) => {
    const r = dc.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  const nodes = () => tableRows(ok(['get', 'nodes', '--no-headers'])).map((r) => r[0]!);
  const pods = () => (JSON.parse(ok(['get', 'pods', '-l', 'app=big', '-o', 'json'])) as PodList).items;

  before(async () => {
    dc = await startDockerCluster([
      '--nodes',
      '2',
      '--max-nodes',
      '3',
      '--node-cpu',
      '1',
      '--node-memory',
      '2Gi',
      '--scale-down-unneeded-time',
      '3s',
      '--scale-down-delay-after-add',
      '3s',
    ]);
  });
  after(async () => {
    await dc?.destroy();
  });

  it('adds a node for pods that do not fit, and removes it when it is no longer needed', async () => {
    assert.deepEqual(nodes(), ['kube-workbench-node-1', 'kube-workbench-node-2']);
    assert.match(ok(['get', 'node', 'kube-workbench-node-1', '-o', 'jsonpath={.status.allocatable.cpu}']), /^1$/);
    dc.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 3
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: ${dc.image}
        command: [/bin/sh, -c, 'exec sleep 3600']
        resources: {requests: {cpu: 600m, memory: 64Mi}}
`);
    await eventually('a third node', 40, () => nodes().length === 3);
    const added = nodes().find((n) => !['kube-workbench-node-1', 'kube-workbench-node-2'].includes(n))!;
    assert.equal(
      ok(['get', 'node', added, '-o', 'jsonpath={.metadata.labels.kube-workbench\\.io/node-group}']),
      'default',
    );
    await eventually('every pod running, one per node', 60, () => {
      const items = pods();
      return items.length === 3 && items.every((p) => p.status.phase === 'Running') ? items : undefined;
    });
    assert.equal(new Set(pods().map((p) => p.spec.nodeName)).size, 3);
    const scaleUp = ok(['get', 'events', '--field-selector', 'reason=TriggeredScaleUp', '--no-headers']);
    assert.match(scaleUp, /pod triggered scale-up: \[\{default 2->3 \(max: 3\)\}\]/);

    ok(['scale', 'deployment', 'big', '--replicas=1']);
    await eventually('back to two nodes', 60, () => nodes().length === 2).catch((error: Error) => {
      throw new Error(`${error.message}\n${ok(['get', 'events', '-A'])}\n${ok(['get', 'nodes,pods', '-o', 'wide'])}`);
    });
    const scaleDown = ok(['get', 'events', '-A', '--field-selector', 'reason=ScaleDown', '--no-headers']);
    assert.match(scaleDown, /node removed by cluster autoscaler/);
    await eventually('the remaining pod running', 30, () => {
      const items = pods();
      return items.length === 1 && items[0]!.status.phase === 'Running' && nodes().includes(items[0]!.spec.nodeName!);
    });
    const status = ok([
      'get',
      'configmap',
      'cluster-autoscaler-status',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.data.status}',
    ]);
    assert.match(status, /maxSize: 3/);
  });
});
