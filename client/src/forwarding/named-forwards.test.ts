import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamedForwards, specProblem, type SavedForward } from './named-forwards.js';
import { stateText } from './lasting-forward.js';

const valid = (extra: Partial<SavedForward> = {}): SavedForward => ({
  name: 'web',
  localPort: 18080,
  target: { kind: 'Deployment', namespace: 'default', name: 'web', port: 8080 },
  stopped: true,
  ...extra,
});

/** No cluster: every forward that starts waits, saying so. */
const offline = (saved: SavedForward[][] = []) =>
  new NamedForwards(
    { connection: () => Promise.reject(new Error('the cluster is not connected')), retryMs: 60_000 },
    (s) => {
      saved.push(s);
    },
  );

describe('named port-forwards', () => {
  it('restores saved forwards, skipping (with a reason) every entry written to break it', async () => {
    const forwards = offline();
    const skipped = await forwards.restore([
      valid(),
      valid({ name: 'frac', localPort: 80.5 }),
      valid({ name: 'huge', localPort: 1e300 }),
      valid({ name: 'neg', target: { kind: 'Pod', namespace: 'default', name: 'x', port: -1 } }),
      valid({ name: '__proto__' }),
      JSON.parse('{"__proto__": {"polluted": true}, "name": "p", "localPort": 1, "target": {}}') as unknown,
      valid({ name: 'kind', target: { kind: 'Secret' as 'Pod', namespace: 'default', name: 'x', port: 1 } }),
      valid({ name: 'ns', target: { kind: 'Pod', namespace: '../etc', name: 'x', port: 1 } }),
      valid({ name: 'dup-port' }),
      'a string',
      null,
      [[[]]],
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      forwards.list().map((f) => f.spec.name),
      ['web'],
    );
    assert.deepEqual(skipped, [
      'saved port-forward 2: localPort: a port, 1 to 65535; skipped',
      'saved port-forward 3: localPort: a port, 1 to 65535; skipped',
      'saved port-forward 4: target.port: a port, 1 to 65535; skipped',
      'saved port-forward 5: name: 1 to 63 letters, digits, spaces or ._:/- (starting with a letter or digit); skipped',
      'saved port-forward 6: target.kind: one of Pod, Service, Deployment, StatefulSet, DaemonSet, ReplicaSet; skipped',
      'saved port-forward 7: target.kind: one of Pod, Service, Deployment, StatefulSet, DaemonSet, ReplicaSet; skipped',
      'saved port-forward 8: target.namespace: not a namespace name; skipped',
      'saved port-forward 9 ("dup-port"): its name or local port is taken; skipped',
      'saved port-forward 10: not an object; skipped',
      'saved port-forward 11: not an object; skipped',
      'saved port-forward 12: not an object; skipped',
    ]);
    assert.deepEqual(await offline().restore({ not: 'a list' }), ['saved port-forwards: not a list; ignored']);
  });

  it('starts what was not stopped; without a cluster it waits and says why; stop, start and remove are saved', async () => {
    const saved: SavedForward[][] = [];
    const forwards = offline(saved);
    await forwards.restore([valid({ stopped: false })]);
    const f = forwards.get('web')!;
    assert.equal(stateText(f.state), 'waiting: no cluster: the cluster is not connected');
    await forwards.stop('web');
    assert.equal(f.state.state, 'stopped');
    assert.equal(saved.at(-1)?.[0]?.stopped, true);
    await forwards.start('web');
    assert.equal(saved.at(-1)?.[0]?.stopped, undefined);
    await assert.rejects(
      forwards.add(valid({ name: 'other' })),
      /local port 18080 is the port-forward "web"'s already/,
    );
    await assert.rejects(forwards.add(valid({ localPort: 18081 })), /a port-forward named "web" exists already/);
    await assert.rejects(forwards.add(valid({ name: 'x', localPort: 0 })), /invalid port-forward: localPort/);
    await forwards.remove('web');
    assert.deepEqual(saved.at(-1), []);
    await forwards.dispose();
    assert.equal(specProblem(valid()), undefined);
  });
});
