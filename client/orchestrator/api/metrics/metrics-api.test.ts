import { strict as assert } from 'node:assert';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../clock';
import { ObjectStore } from '../../store/object-store';
import { chain } from '../admission/admission';
import { defaultsAdmission } from '../admission/defaults';
import { validationAdmission } from '../admission/validation';
import { ApiServer, type RunningApiServer } from '../api-server';
import { selfSignedCertificate } from '../certificate';
import { Registry } from '../registry';
import { goDuration } from './metric-format';
import { MetricsHub } from './metrics-source';

const TOKEN = 'metrics-token';
const tls = selfSignedCertificate('metrics');

describe('metrics APIs', () => {
  const clock = new FakeClock(Date.UTC(2025, 0, 1, 12));
  let running: RunningApiServer;

  const get = (path: string, method = 'GET') =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        new URL(path, running.url),
        { method, ca: tls.cert, headers: { Authorization: `Bearer ${TOKEN}` } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });

  before(async () => {
    const store = await ObjectStore.open({ clock });
    await store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const pods: [string, string][] = [
      ['web-1', 'web'],
      ['db-1', 'db'],
    ];
    for (const [name, app] of pods)
      await store.create('/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { app } },
        spec: { containers: [{ name: 'app', image: 'x' }] },
        status: { phase: 'Running' },
      });
    const metrics = new MetricsHub();
    metrics.addResourceSource({
      pods: () =>
        ['web-1', 'db-1'].map((name) => ({
          namespace: 'default',
          name,
          timestamp: clock.now(),
          windowMs: 15_002,
          containers: [{ name: 'app', cpuNanoCores: 12_345_678, memoryBytes: 2048 * 1024 }],
        })),
      nodes: () => [],
    });
    metrics.setRequestSource({
      rates: (kind, _ns, name) =>
        kind === 'pods' && name === 'web-1'
          ? { inFlight: 3, perSecond: 1.5, timestamp: clock.now(), windowMs: 10_000 }
          : undefined,
    });
    const ctx = {
      store,
      clock,
      registry: new Registry(),
      admission: chain(defaultsAdmission, validationAdmission),
      metrics,
    };
    running = await new ApiServer({ ...ctx, token: TOKEN, tls, port: 0 }).listen();
  });

  after(() => running.close());

  it('lists PodMetrics as metrics-server does, selected by the pods labels', async () => {
    const r = await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items, [
      {
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {
          name: 'web-1',
          namespace: 'default',
          creationTimestamp: '2025-01-01T12:00:00Z',
          labels: { app: 'web' },
        },
        timestamp: '2025-01-01T12:00:00Z',
        window: '15.002s',
        containers: [{ name: 'app', usage: { cpu: '12345678n', memory: '2048Ki' } }],
      },
    ]);
    const listed = await get('/apis/metrics.k8s.io/v1beta1/pods');
    assert.equal((listed.body.items as unknown[]).length, 2);
  });

  it('serves requests in flight per pod through the custom metrics API', async () => {
    const r = await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests_in_flight');
    assert.equal(r.status, 200);
    const values = (r.body.items as { describedObject: { name: string }; value: string }[]).map((i) => [
      i.describedObject.name,
      i.value,
    ]);
    assert.deepEqual(values.sort(), [
      ['db-1', '0'],
      ['web-1', '3'],
    ]);
    const rate = await get(
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/web-1/http_requests_per_second',
    );
    assert.equal((rate.body.items as { value: string }[])[0]?.value, '1500m');
  });

  it('answers hostile or wrong requests with a clear Status', async () => {
    const cases: [string, string, number][] = [
      ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/__proto__', 404],
      ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1/status', 405],
      ['POST', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', 405],
      ['GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%20in%20(', 400],
      ['GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/constructor', 404],
      ['GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/__proto__/x/requests_per_second', 404],
      ['GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/*/requests_per_second', 400],
      ['GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/none/requests_per_second', 404],
      ['DELETE', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/web-1/http_requests_in_flight', 405],
    ];
    for (const [method, path, status] of cases) {
      const r = await get(path, method);
      assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.kind, 'Status');
    }
  });

  it('writes windows as Go durations', () => {
    assert.deepEqual(
      [goDuration(15_000), goDuration(1500), goDuration(60_000), goDuration(0)],
      ['15s', '1.5s', '1m0s', '0s'],
    );
  });
});
