import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQuery, labelFilter, progressOutcome, runCreateBody, splitRef } from './docker-request-bodies';

describe('docker request bodies', () => {
  it('splitRef splits at the tag colon, not at a registry port', () => {
    assert.deepEqual(splitRef('busybox:1.36'), ['busybox', '1.36']);
    assert.deepEqual(splitRef('localhost:5000/app'), ['localhost:5000/app', undefined]);
    assert.deepEqual(splitRef('localhost:5000/app:v2'), ['localhost:5000/app', 'v2']);
  });

  it('runCreateBody publishes ports on 127.0.0.1, port 0 as any free one', () => {
    const body = runCreateBody({ image: 'img', labels: { a: 'b' }, publish: { 80: 0, 443: 8443 } });
    assert.deepEqual(body.HostConfig.PortBindings, {
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }],
    });
    assert.deepEqual(Object.keys(body.ExposedPorts), ['80/tcp', '443/tcp']);
    assert.equal('Cmd' in body, false);
  });

  it('buildQuery asks the classic builder and sends target and labels only when given', () => {
    const q = buildQuery({ tag: 't:1', dockerfile: 'Dockerfile' });
    assert.equal(q.version, '1');
    assert.equal(q.forcerm, true);
    assert.equal('target' in q || 'labels' in q, false);
    assert.equal(buildQuery({ tag: 't', dockerfile: 'D', target: '' }).target, '');
  });

  it('labelFilter gives key=value pairs', () => {
    assert.deepEqual(labelFilter({ a: 'b', 'x.io/y': 'z' }), ['a=b', 'x.io/y=z']);
  });

  it('progressOutcome rejects with the transport error first, then the first message error', () => {
    const outcomes: string[] = [];
    const end = progressOutcome(
      () => outcomes.push('ok'),
      (e) => outcomes.push(e.message),
    );
    end(new Error('socket hang up'), [{ error: 'manifest unknown' }]);
    end(null, [{}, { error: 'manifest unknown' }]);
    end(null, [{}]);
    assert.deepEqual(outcomes, ['socket hang up', 'manifest unknown', 'ok']);
  });
});
