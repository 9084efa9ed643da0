/**
 * The e2e runner's clean-up (test/e2e/runner/stop-clusters.ts): a cluster
 * left running under a suite's folder is stopped and its containers removed,
 * while a container labelled for another cluster stays.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import { clusterDataDirs, stopClustersUnder } from '../e2e/runner/stop-clusters.js';
import { containerStatus, eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

describe('the e2e runner stops what its windows left running', () => {
  let dc: DockerCluster;
  let bystander = '';
  before(async () => {
    dc = await startDockerCluster();
    const run = spawnSync(
      'docker',
      ['run', '-d', '--label', `${LABEL.cluster}=kw-bystander-${process.pid}`, dc.image, 'sleep', '300'],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    bystander = run.stdout.trim();
  });
  after(async () => {
    if (bystander) spawnSync('docker', ['rm', '-f', bystander]);
    await dc?.destroy();
  });

  it('finds cluster data folders (lock and kubeconfig) and nothing else', () => {
    const decoy = join(dc.root, 'decoy');
    mkdirSync(decoy, { recursive: true });
    writeFileSync(join(decoy, 'lock'), '1\n'); // a lock file alone is not a cluster's folder
    assert.deepEqual(clusterDataDirs(dc.root), [join(dc.root, 'data')]);
  });

  it('stops the cluster process and removes its containers, leaving another cluster’s container alone', async () => {
    // One pod of two containers (a sandbox holds its network) and one whose only container owns it.
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: left-behind}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - {name: main, image: ${dc.image}, command: [sleep, '3600']}
  - {name: side, image: ${dc.image}, command: [sleep, '3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: left-alone}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - {name: main, image: ${dc.image}, command: [sleep, '3600']}
`);
    for (const pod of ['left-behind', 'left-alone'])
      await eventually(`${pod} running`, 60, () => containerStatus(dc, pod)?.state.running);
    assert.ok(
      (await dc.containers()).length >= 4,
      'a sandbox and two containers, and one container owning its network',
    );

    await stopClustersUnder(dc.root, '[test]');

    const child = dc.cluster.child;
    await eventually('the cluster process gone', 15, () => child.exitCode !== null || child.signalCode !== null);
    assert.deepEqual(await dc.containers(), [], 'no container of the cluster is left');
    const inspect = spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', bystander], { encoding: 'utf8' });
    assert.equal(inspect.stdout.trim(), 'true', 'the other cluster’s container still runs');
  });
});
