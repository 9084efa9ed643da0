import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { NODES, PODS } from '../machinery/informer-factory';
import { LEASES, NODE_LEASE_NAMESPACE } from '../machinery/node-lifecycle';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import { SIMULATED_OUTAGE_ANNOTATION } from '../protocol/node-annotations';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import { fakeRuntimeFactory, type FakeRuntime } from './fake-runtime';
import { Kubelet } from './kubelet';
import { PodDispatcher } from './pod-dispatcher';

async function setup() {
  const ctx = await testContext();
  await ctx.store.create('/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NODE_LEASE_NAMESPACE },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const runtime = fakeRuntimeFactory({ clock: ctx.clock })('node-1', 0) as FakeRuntime;
  const kubelet = new Kubelet({
    name: 'node-1',
    store: ctx.store,
    api: ctx.api,
    clock: ctx.clock,
    events: ctx.events,
    runtime,
    dispatcher: new PodDispatcher(ctx.informers.for(PODS)),
    nodes: ctx.informers.for(NODES),
    leaseRenewMs: 1000,
  });
  await ctx.informers.start();
  await kubelet.start();
  return { ctx, runtime, kubelet };
}

const renewTime = (ctx: TestContext) =>
  (ctx.store.get(LEASES, NODE_LEASE_NAMESPACE, 'node-1')?.spec as JsonObject | undefined)?.renewTime;
const ready = (ctx: TestContext) =>
  ((ctx.store.get(NODES, '', 'node-1')!.status as JsonObject).conditions as JsonObject[]).find(
    (c) => c.type === 'Ready',
  );

async function annotate(ctx: TestContext, value: string | undefined): Promise<void> {
  const node = clone(ctx.store.get(NODES, '', 'node-1')!) as KubeObject;
  const annotations = { ...node.metadata.annotations };
  if (value === undefined) delete annotations[SIMULATED_OUTAGE_ANNOTATION];
  else annotations[SIMULATED_OUTAGE_ANNOTATION] = value;
  node.metadata.annotations = annotations;
  await ctx.store.update(NODES, node);
}

async function advance(ctx: TestContext, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) {
    ctx.clock.advance(500);
    await turns(10);
  }
}

describe('Kubelet heartbeats and simulated outages', () => {
  it('renews its Lease; goes silent under the outage annotation and comes back when it goes', async () => {
    const { ctx, runtime, kubelet } = await setup();
    await waitFor(() => renewTime(ctx) !== undefined, 'lease created');
    const lease = ctx.store.get(LEASES, NODE_LEASE_NAMESPACE, 'node-1')!;
    assert.equal((lease.spec as JsonObject).holderIdentity, 'node-1');
    assert.equal((lease.spec as JsonObject).leaseDurationSeconds, 40);
    assert.match(String(renewTime(ctx)), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(lease.metadata.ownerReferences?.[0]?.kind, 'Node');
    const first = renewTime(ctx);
    await advance(ctx, 1500);
    assert.notEqual(renewTime(ctx), first, 'renewed');

    const writer = new AdmittedWriter(ctx.api, 'test');
    await writer.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: 'node-1',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      },
    });
    await waitFor(() => (ctx.store.get(PODS, 'default', 'web')?.status as JsonObject).phase === 'Running', 'running');

    await annotate(ctx, 'true');
    await waitFor(() => runtime.suspended, 'containers frozen');
    const silentSince = renewTime(ctx);
    await advance(ctx, 20_000);
    assert.equal(renewTime(ctx), silentSince, 'no renewal while silent');
    // What the node lifecycle controller does meanwhile: status Unknown; the pod evicted (Terminating).
    const node = clone(ctx.store.get(NODES, '', 'node-1')!) as KubeObject;
    for (const c of (node.status as JsonObject).conditions as JsonObject[]) c.status = 'Unknown';
    await ctx.store.update(NODES, node, { statusOnly: true });
    await writer.delete(PODS, 'default', 'web');
    await advance(ctx, 5000);
    assert.ok(ctx.store.get(PODS, 'default', 'web')?.metadata.deletionTimestamp, 'stays Terminating');
    assert.equal(ready(ctx)?.status, 'Unknown', 'no status posted while silent');
    assert.equal((await runtime.listPodSandboxes()).length, 1, 'its sandbox is still there');

    await annotate(ctx, 'false'); // anything but "true" ends the outage
    await waitFor(() => !runtime.suspended, 'containers thawed');
    await waitFor(() => ready(ctx)?.status === 'True', 'Ready posted');
    await waitFor(() => ctx.store.get(PODS, 'default', 'web') === undefined, 'the deleted pod finished');
    assert.deepEqual(await runtime.listPodSandboxes(), [], 'and its sandbox removed');
    await advance(ctx, 1500);
    assert.notEqual(renewTime(ctx), silentSince, 'renewing again');
    await kubelet.stop();
  });

  it('starts silent when its Node is already in an outage (an orchestrator restart)', async () => {
    const ctx = await testContext();
    await ctx.store.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', annotations: { [SIMULATED_OUTAGE_ANNOTATION]: 'true' } },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] },
    });
    const runtime = fakeRuntimeFactory({ clock: ctx.clock })('node-1', 0) as FakeRuntime;
    const kubelet = new Kubelet({
      name: 'node-1',
      store: ctx.store,
      api: ctx.api,
      clock: ctx.clock,
      events: ctx.events,
      runtime,
      dispatcher: new PodDispatcher(ctx.informers.for(PODS)),
      nodes: ctx.informers.for(NODES),
      log: () => undefined,
    });
    await ctx.informers.start();
    await kubelet.start();
    assert.equal(runtime.suspended, true);
    await advance(ctx, 15_000);
    assert.equal(ready(ctx)?.status, 'Unknown', 'still silent');
    await annotate(ctx, undefined);
    await waitFor(() => ready(ctx)?.status === 'True', 'back');
    await kubelet.stop();
  });
});
