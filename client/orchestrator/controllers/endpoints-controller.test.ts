import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ENDPOINT_SLICES, ENDPOINTS, PODS, SERVICES } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import { EndpointSliceController } from './endpoint-slice-controller';
import { EndpointsController } from './endpoints-controller';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';

function service(spec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      ...spec,
    },
  };
}

function pod(name: string, ip: string, ready: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

async function setup() {
  const ctx = await testContext();
  const controllers = [new EndpointsController(ctx), new EndpointSliceController(ctx)];
  await ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  return { ctx, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

const endpoints = (ctx: TestContext) => ctx.store.get(ENDPOINTS, 'default', 'web');
const slices = (ctx: TestContext) => ctx.store.list(ENDPOINT_SLICES, 'default').items;

describe('Endpoints and EndpointSlice controllers', () => {
  it('list ready pods as addresses and the others as not ready, on the named container port', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(PODS, pod('a', '10.244.0.2', true));
    await ctx.store.create(PODS, pod('b', '10.244.0.3', false));
    await ctx.store.create(PODS, {
      ...pod('other', '10.244.0.4', true),
      metadata: { name: 'other', namespace: 'default', labels: { app: 'db' } },
    });
    await ctx.store.create(SERVICES, service());
    await waitFor(() => endpoints(ctx)?.subsets !== undefined && slices(ctx).length === 1, 'endpoints');
    const a = ctx.store.get(PODS, 'default', 'a')!;
    assert.deepEqual(endpoints(ctx)!.subsets, [
      {
        addresses: [
          {
            ip: '10.244.0.2',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.0.3',
            nodeName: 'node-1',
            targetRef: {
              kind: 'Pod',
              namespace: 'default',
              name: 'b',
              uid: ctx.store.get(PODS, 'default', 'b')!.metadata.uid,
            },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const [slice] = slices(ctx);
    assert.match(slice!.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.equal(slice!.metadata.labels?.['kubernetes.io/service-name'], 'web');
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(
      (slice!.endpoints as JsonObject[]).map((e) => [e.addresses, e.conditions]),
      [
        [['10.244.0.2'], { ready: true, serving: true, terminating: false }],
        [['10.244.0.3'], { ready: false, serving: false, terminating: false }],
      ],
    );
    assert.equal(slice!.metadata.ownerReferences?.[0]?.kind, 'Service');

    // b becomes ready; a starts terminating
    const b = clone(ctx.store.get(PODS, 'default', 'b')!) as KubeObject;
    b.status = pod('b', '10.244.0.3', true).status;
    await ctx.store.update(PODS, b);
    await ctx.store.update(PODS, {
      ...clone(ctx.store.get(PODS, 'default', 'a')!),
      metadata: { ...clone(ctx.store.get(PODS, 'default', 'a')!.metadata), finalizers: ['test'] },
    });
    await ctx.store.delete(PODS, 'default', 'a');
    await waitFor(
      () =>
        JSON.stringify(endpoints(ctx)?.subsets).includes('10.244.0.3') &&
        !JSON.stringify(endpoints(ctx)?.subsets).includes('10.244.0.2'),
      'a leaves, b ready',
    );
    assert.equal(((endpoints(ctx)!.subsets as JsonObject[])[0]!.addresses as JsonObject[]).length, 1);
    await waitFor(
      () => JSON.stringify(slices(ctx)[0]!.endpoints).includes('"terminating":true'),
      'terminating in slice',
    );
    const terminating = (slices(ctx)[0]!.endpoints as JsonObject[]).find(
      (e) => (e.addresses as string[])[0] === '10.244.0.2',
    );
    assert.deepEqual(terminating?.conditions, { ready: false, serving: true, terminating: true });
    await stop();
  });

  it('publishes not-ready pods when publishNotReadyAddresses is set, and removes endpoints with the Service', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(PODS, pod('b', '10.244.0.3', false));
    await ctx.store.create(
      SERVICES,
      service({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }),
    );
    await waitFor(() => endpoints(ctx)?.subsets !== undefined, 'endpoints');
    assert.deepEqual(
      ((endpoints(ctx)!.subsets as JsonObject[])[0]!.addresses as JsonObject[]).map((a) => a.ip),
      ['10.244.0.3'],
    );
    assert.deepEqual((endpoints(ctx)!.subsets as JsonObject[])[0]!.ports, [{ port: 8080, protocol: 'TCP' }]);
    await ctx.store.delete(SERVICES, 'default', 'web');
    await waitFor(() => endpoints(ctx) === undefined && slices(ctx).length === 0, 'removed');
    await stop();
  });
});
