import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PodIps, SharedPodIps, splitSubnet } from './pod-ips';

describe('splitSubnet', () => {
  it('gives the lower half to the engine and the upper half to pods', () => {
    assert.deepEqual(splitSubnet('172.18.0.0/16'), { auto: '172.18.0.0/17', pods: '172.18.128.0/17' });
    assert.deepEqual(splitSubnet('192.168.32.0/20'), { auto: '192.168.32.0/21', pods: '192.168.40.0/21' });
    // host bits set: the network's own address counts
    assert.deepEqual(splitSubnet('10.1.2.3/24'), { auto: '10.1.2.0/25', pods: '10.1.2.128/25' });
  });

  it('refuses what it cannot split: IPv6, too small, not an address', () => {
    for (const bad of ['fd00::/64', '10.0.0.0/27', '10.0.0.0/7', '300.1.1.1/16', '10.0.0.0', '', '10.0.0.0/16x'])
      assert.equal(splitSubnet(bad), undefined, bad);
  });
});

describe('PodIps', () => {
  it('hands out addresses in turn, skipping .0 and .255, and keeps one per pod', () => {
    const masked = new PodIps('10.9.0.254/30');
    assert.equal(masked.take('a'), '10.9.0.252', 'the range starts at its network address');
    assert.equal(masked.has('10.9.0.255'), false);
    const pool = new PodIps('172.18.128.0/17');
    const a = pool.take('a');
    assert.equal(a, '172.18.128.1');
    assert.equal(pool.take('a'), a, 'the same pod keeps its address');
    assert.equal(pool.take('b'), '172.18.128.2');
    pool.release('a');
    assert.equal(pool.take('c'), '172.18.128.3', 'a released address is the last to come round again');
  });

  it('never hands out an address held by a pod, running or not, and moves past one the engine refused', () => {
    const pool = new PodIps('10.0.0.0/29');
    pool.hold('10.0.0.1', 'old');
    pool.hold('10.0.0.9', 'outside'); // not in the range: ignored
    assert.equal(pool.take('new'), '10.0.0.2');
    assert.equal(pool.take('old'), '10.0.0.1');
    assert.equal(pool.replace('new'), '10.0.0.3');
    const taken = ['x', 'y', 'z', 'w'].map((p) => pool.take(p));
    assert.deepEqual(taken, ['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
    assert.equal(pool.take('full'), undefined, 'every address is held (the refused one too)');
    pool.release('x');
    assert.equal(pool.take('full'), '10.0.0.4');
  });

  it('refuses a range that is not one', () => {
    for (const bad of ['', 'x/17', '10.0.0.0/33', '10.0.0.0/4', '10.0.0.0'])
      assert.throws(() => new PodIps(bad), /not an IPv4 range/);
  });
});

describe('SharedPodIps', () => {
  it('makes one pool per range for every node, seeded once with the addresses held', async () => {
    const shared = new SharedPodIps();
    let reads = 0;
    const holders = () => {
      reads++;
      return Promise.resolve([{ ip: '10.0.0.1', podUid: 'p' }]);
    };
    const [one, two] = await Promise.all([shared.get('10.0.0.0/24', holders), shared.get('10.0.0.0/24', holders)]);
    assert.equal(one, two);
    assert.equal(reads, 1);
    assert.equal(one.take('q'), '10.0.0.2');
    const other = await shared.get('10.0.1.0/24', holders);
    assert.notEqual(other, one);
  });

  it('tries again after the holders could not be read', async () => {
    const shared = new SharedPodIps();
    await assert.rejects(shared.get('10.0.0.0/24', () => Promise.reject(new Error('engine away'))));
    const pool = await shared.get('10.0.0.0/24', () => Promise.resolve([]));
    assert.equal(pool.take('a'), '10.0.0.1');
  });
});
