import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { DockerEngine } from '../kubelet/docker-client';
import { StartsInFlight } from '../kubelet/starts-in-flight';
import { ObjectStore } from '../store/object-store';
import { ServiceProxies } from './service-proxies';

/** The engine calls ServiceProxies makes, recorded; `starts` is real, so a test holds a pod's start in flight. */
function fakeEngine() {
  const created: string[] = [];
  const engine = {
    starts: new StartsInFlight(),
    list: () => Promise.resolve([]),
    inspect: () => Promise.resolve(undefined),
    remove: () => Promise.resolve(),
    ensureNetwork: () => Promise.resolve(),
    create: (body: { name: string }) => {
      created.push(body.name);
      return Promise.resolve(`id-${created.length}`);
    },
    start: () => Promise.resolve(),
  };
  return { engine: engine as unknown as DockerEngine, starts: engine.starts, created };
}

async function setup() {
  const clock = new FakeClock();
  const store = await ObjectStore.open({ clock });
  const { engine, starts, created } = fakeEngine();
  const stateDir = mkdtempSync(join(tmpdir(), 'kw-proxies-'));
  const proxies = new ServiceProxies({
    engine,
    store,
    clock,
    clusterId: 'c1',
    infraImage: () => Promise.resolve('infra'),
    stateDir,
    publishNodePorts: false,
  });
  await store.create('/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  await store.create('/endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 8080 }] }],
  });
  /** Lets the proxies' queue (20 ms on the clock) and the engine's promises run. */
  const settle = async (ms = 20) => {
    clock.advance(ms);
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };
  const done = () => {
    proxies.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
  const touchEndpoints = async () => {
    const current = store.get('/endpoints', 'default', 'web')!;
    await store.update('/endpoints', {
      ...current,
      subsets: [{ addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.3' }], ports: [{ port: 8080 }] }],
    });
  };
  return { proxies, starts, created, settle, done, touchEndpoints };
}

describe('ServiceProxies', () => {
  it('makes a Service with a ready endpoint its proxy container at once when the engine starts nothing else', async () => {
    const t = await setup();
    t.proxies.start();
    await t.settle();
    assert.deepEqual(t.created, ['kw_svc_web_default_c1']);
    t.done();
  });

  it('puts a new proxy off while a pod container is being started, and makes it 500 ms after that start ends', async () => {
    const t = await setup();
    let endStart!: () => void;
    const podStart = t.starts.track(() => new Promise<void>((r) => (endStart = r)));
    t.proxies.start();
    await t.settle();
    assert.deepEqual(t.created, [], 'no proxy while the pod starts');
    endStart();
    await podStart;
    await t.settle();
    assert.deepEqual(t.created, [], 'no proxy right after the start: the pod still has its first answers ahead');
    await t.touchEndpoints(); // another pod became ready meanwhile: still put off
    await t.settle();
    assert.deepEqual(t.created, [], 'no proxy on an Endpoints change within the 500 ms');
    await t.settle(500);
    await t.settle();
    assert.deepEqual(t.created, ['kw_svc_web_default_c1']);
    t.done();
  });

  it('puts it off again when another start begins within those 500 ms', async () => {
    const t = await setup();
    let endFirst!: () => void;
    const first = t.starts.track(() => new Promise<void>((r) => (endFirst = r)));
    t.proxies.start();
    await t.settle();
    endFirst();
    await first;
    let endSecond!: () => void;
    const second = t.starts.track(() => new Promise<void>((r) => (endSecond = r)));
    await t.settle(500);
    await t.settle();
    assert.deepEqual(t.created, [], 'no proxy while the second start runs');
    endSecond();
    await second;
    await t.settle(500);
    await t.settle();
    assert.deepEqual(t.created, ['kw_svc_web_default_c1']);
    t.done();
  });

  it('makes it anyway when the engine stays busy for 3 s', async () => {
    const t = await setup();
    void t.starts.track(() => new Promise<void>(() => undefined)); // a start that never ends
    t.proxies.start();
    await t.settle();
    await t.settle(2000);
    assert.deepEqual(t.created, []);
    await t.settle(1000);
    await t.settle();
    assert.deepEqual(t.created, ['kw_svc_web_default_c1']);
    t.done();
  });
});
