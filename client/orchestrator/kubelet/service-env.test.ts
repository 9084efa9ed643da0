import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { resolveEnv } from './container-env';
import { serviceEnv, serviceLinkEnv } from './service-env';

function service(name: string, namespace: string, clusterIP: string, ports: Record<string, unknown>[]) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { clusterIP, ports },
  };
}

function pod(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
  };
}

describe('Service environment variables', () => {
  it('writes NAME_SERVICE_HOST/PORT, named ports and the Docker link variables as Kubernetes does', () => {
    const svc = service('redis-primary', 'shop', '10.96.0.11', [
      { name: 'redis', port: 6379, protocol: 'TCP' },
      { name: 'metrics', port: 9121, protocol: 'UDP' },
    ]);
    assert.deepEqual(Object.fromEntries(serviceEnv(svc)), {
      REDIS_PRIMARY_SERVICE_HOST: '10.96.0.11',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.96.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.0.11',
      REDIS_PRIMARY_PORT_9121_UDP: 'udp://10.96.0.11:9121',
      REDIS_PRIMARY_PORT_9121_UDP_PROTO: 'udp',
      REDIS_PRIMARY_PORT_9121_UDP_PORT: '9121',
      REDIS_PRIMARY_PORT_9121_UDP_ADDR: '10.96.0.11',
    });
  });

  it('skips headless Services and uses the address the runtime gives', () => {
    assert.deepEqual(serviceEnv(service('db', 'shop', 'None', [{ port: 5432 }])), []);
    const env = Object.fromEntries(
      serviceEnv(service('web', 'shop', '10.96.0.12', [{ port: 80 }]), (s) => `${s.metadata.name}.shop.svc`),
    );
    assert.equal(env.WEB_SERVICE_HOST, 'web.shop.svc');
    assert.equal(env.WEB_PORT, 'tcp://web.shop.svc:80');
  });

  it('gives the Services of the namespace and always default/kubernetes; enableServiceLinks: false keeps only kubernetes', () => {
    const services = {
      inNamespace: [service('web', 'shop', '10.96.0.12', [{ port: 80 }])],
      kubernetes: service('kubernetes', 'default', '10.96.0.1', [{ name: 'https', port: 443 }]),
    };
    const names = (on: boolean) =>
      serviceLinkEnv(services, on)
        .map(([n]) => n)
        .filter((n) => n.endsWith('_SERVICE_HOST'));
    assert.deepEqual(names(true), ['KUBERNETES_SERVICE_HOST', 'WEB_SERVICE_HOST']);
    assert.deepEqual(names(false), ['KUBERNETES_SERVICE_HOST']);
  });

  it('follows a Service that changes and a host that changes, each pod after the other', async () => {
    const store = await ObjectStore.open({ clock: new FakeClock() });
    const created = await store.create('/services', service('web', 'shop', '10.96.0.12', [{ port: 80 }]));
    const hosts = new Map<string, string>();
    const envOf = async (name: string) =>
      Object.fromEntries(
        resolveEnv(store, await store.create('/pods', pod(name)), { name: 'c' }, '10.244.0.2', '127.0.0.1', (s) =>
          hosts.get(s.metadata.name ?? ''),
        ).map((e) => [e.name, e.value]),
      );
    assert.equal((await envOf('a')).WEB_SERVICE_PORT, '80');
    assert.equal((await envOf('b')).WEB_SERVICE_PORT, '80');
    await store.update('/services', { ...created, spec: { clusterIP: '10.96.0.12', ports: [{ port: 8080 }] } });
    const changed = await envOf('c');
    assert.equal(changed.WEB_SERVICE_PORT, '8080');
    assert.equal(changed.WEB_PORT, 'tcp://10.96.0.12:8080');
    hosts.set('web', 'web.shop.svc');
    assert.equal((await envOf('d')).WEB_SERVICE_HOST, 'web.shop.svc');
    hosts.delete('web');
    assert.equal((await envOf('e')).WEB_SERVICE_HOST, '10.96.0.12');
  });

  it('puts them into a container environment under its own env, which can refer to them', async () => {
    const store = await ObjectStore.open({ clock: new FakeClock() });
    await store.create('/services', service('web', 'shop', '10.96.0.12', [{ port: 80 }]));
    await store.create('/services', service('other', 'elsewhere', '10.96.0.13', [{ port: 81 }]));
    const container = {
      name: 'c',
      env: [
        { name: 'WEB_SERVICE_PORT', value: '8080' },
        { name: 'URL', value: 'http://$(WEB_SERVICE_HOST)/' },
      ],
    };
    const env = Object.fromEntries(
      resolveEnv(store, await store.create('/pods', pod('p')), container, '10.244.0.2', '127.0.0.1').map((e) => [
        e.name,
        e.value,
      ]),
    );
    assert.equal(env.WEB_SERVICE_HOST, '10.96.0.12');
    assert.equal(env.WEB_SERVICE_PORT, '8080');
    assert.equal(env.URL, 'http://10.96.0.12/');
    assert.equal(env.OTHER_SERVICE_HOST, undefined);
    const off = resolveEnv(
      store,
      await store.create('/pods', pod('q', { enableServiceLinks: false })),
      container,
      '',
      '',
    );
    assert.ok(!off.some((e) => e.name === 'WEB_SERVICE_HOST'));
  });
});
