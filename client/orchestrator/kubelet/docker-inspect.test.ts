import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerInfoOf, hostPorts, type EngineInspect } from './docker-inspect';

const inspect = (over: Partial<EngineInspect> = {}): EngineInspect => ({
  Id: 'abc',
  Name: '/kw-pod-app',
  Image: 'sha256:1',
  Created: '2026-01-02T03:04:05.5Z',
  Config: { Image: 'busybox', Labels: { a: 'b' } },
  State: {
    Status: 'exited',
    Running: false,
    ExitCode: 137,
    OOMKilled: true,
    StartedAt: '2026-01-02T03:04:06Z',
    FinishedAt: '0001-01-01T00:00:00Z',
  },
  NetworkSettings: { Networks: { kw: { IPAddress: '172.18.0.5' }, none: { IPAddress: '' } }, Ports: null },
  ...over,
});

describe('containerInfoOf', () => {
  it('reads the name without its slash, the state, the IPs by network and the times in ms', () => {
    const info = containerInfoOf(inspect());
    assert.equal(info.name, 'kw-pod-app');
    assert.deepEqual(info.ips, { kw: '172.18.0.5' });
    assert.equal(info.exitCode, 137);
    assert.equal(info.oomKilled, true);
    assert.equal(info.error, '');
    assert.equal(info.createdAt, Date.parse('2026-01-02T03:04:05.5Z'));
    assert.equal(info.startedAt, Date.parse('2026-01-02T03:04:06Z'));
    assert.equal('finishedAt' in info, false, "the engine's zero time is no time");
  });

  it('gives no labels as an empty object, an unparsable time as none, and the state error', () => {
    const base = inspect();
    const info = containerInfoOf({
      ...base,
      Created: 'not a time',
      Config: { Image: 'x', Labels: null },
      State: { ...base.State, StartedAt: '', Error: 'oci runtime error' } as EngineInspect['State'],
    });
    assert.deepEqual(info.labels, {});
    assert.equal(info.createdAt, 0);
    assert.equal(info.startedAt, undefined);
    assert.equal(info.error, 'oci runtime error');
  });
});

describe('hostPorts', () => {
  it('maps each published container port to its first host port, skipping unpublished ones', () => {
    const ports = hostPorts({ '80/tcp': [{ HostPort: '32768' }], '443/tcp': null, '53/udp': [] });
    assert.deepEqual([...ports], [[80, 32768]]);
    assert.equal(hostPorts(undefined).size, 0);
  });
});
