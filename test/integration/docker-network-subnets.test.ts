/**
 * Cluster networks made at the same moment by several processes' engine clients (tests start many clusters): each
 * gets a subnet of its own, none overlapping, with the engine's half and the pods' half; an existing network is
 * taken as it is. Only networks carrying this test's label are made and removed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { DockerEngine } from '../../client/orchestrator/kubelet/docker-client.js';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';

interface NetworkView {
  Labels: Record<string, string>;
  IPAM: { Config: { Subnet: string; IPRange?: string }[] };
}

const inspect = (name: string) => {
  const r = spawnSync('docker', ['network', 'inspect', name, '--format', '{{json .}}'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as NetworkView;
};

describe('cluster networks on Docker', () => {
  const tag = `kw-subnet-test-${randomBytes(4).toString('hex')}`;
  const labels = { [LABEL.cluster]: tag };
  const names = [0, 1, 2, 3].map((i) => `${tag}-${i}`);
  after(async () => {
    const engine = new DockerEngine();
    for (const n of await engine.networksByLabels(labels)) await engine.removeNetwork(n.id);
  });

  it('gives networks made together subnets of their own, each split between the engine and the pods', async () => {
    // One client per network, as separate cluster processes have.
    const made = await Promise.all(names.map((n) => new DockerEngine().ensureNetwork(n, labels)));
    const views = names.map(inspect);
    const subnets = views.map((v) => v.IPAM.Config[0]?.Subnet ?? '');
    assert.equal(new Set(subnets).size, names.length, `distinct subnets: ${subnets.join(' ')}`);
    views.forEach((v, i) => {
      const pods = v.Labels[LABEL.podIps];
      assert.equal(made[i]?.podIps, pods);
      assert.ok(pods && v.IPAM.Config[0]?.IPRange, `${names[i]} has both halves`);
      assert.notEqual(v.IPAM.Config[0]?.IPRange, pods);
    });
    // Made again by a new client: the network that exists is used as it is.
    assert.deepEqual(await new DockerEngine().ensureNetwork(names[0]!, labels), made[0]);
  });

  it('takes a network made without a subnet of its own as it is (no pod range: sandboxes)', async () => {
    const name = `${tag}-old`;
    const r = spawnSync('docker', ['network', 'create', '--label', `${LABEL.cluster}=${tag}`, name], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await new DockerEngine().ensureNetwork(name, labels), {});
  });
});
