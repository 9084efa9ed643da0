import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';
import { EVENTS, NODES, PODS } from '../machinery/informer-factory';
import type { JsonObject, KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { Scheduler } from './scheduler';

function node(
  name: string,
  extra: { cpu?: string; labels?: Record<string, string>; taints?: JsonObject[]; unschedulable?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: {
      ...(extra.taints ? { taints: extra.taints } : {}),
      ...(extra.unschedulable ? { unschedulable: true } : {}),
    },
    status: { allocatable: { cpu: extra.cpu ?? '4', memory: '8Gi', pods: '110' } },
  };
}

function pod(name: string, spec: JsonObject = {}, owner?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] }
        : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx', ...(spec.container as JsonObject) }],
      ...spec,
      container: undefined,
    },
    status: { phase: 'Pending' },
  };
}

const cpu = (c: string) => ({ container: { resources: { requests: { cpu: c } } } });
const nodeOf = (ctx: TestContext, name: string) =>
  (ctx.store.get(PODS, 'default', name)?.spec as JsonObject | undefined)?.nodeName;
const scheduledCondition = (p: Stored | undefined) =>
  ((p?.status as JsonObject).conditions as JsonObject[] | undefined)?.find((c) => c.type === 'PodScheduled');

async function setup(nodes: KubeObject[]) {
  const ctx = await testContext();
  for (const n of nodes) await ctx.store.create(NODES, n);
  const scheduler = new Scheduler(ctx);
  await ctx.informers.start();
  const running = scheduler.run();
  return { ctx, scheduler, running };
}

describe('Scheduler', () => {
  it('binds a pod to a node with PodScheduled=True and a Scheduled event', async () => {
    const { ctx, running } = await setup([node('node-1')]);
    await ctx.store.create(PODS, pod('a'));
    await waitFor(() => nodeOf(ctx, 'a') === 'node-1', 'binding');
    assert.equal(scheduledCondition(ctx.store.get(PODS, 'default', 'a'))?.status, 'True');
    await waitFor(() => ctx.store.list(EVENTS, 'default').items.some((e) => e.reason === 'Scheduled'), 'event');
    const event = ctx.store.list(EVENTS, 'default').items.find((e) => e.reason === 'Scheduled');
    assert.equal(event?.message, 'Successfully assigned default/a to node-1');
    await running.stop();
  });

  it('spreads the replicas of one workload over the nodes', async () => {
    const { ctx, running } = await setup([node('node-1'), node('node-2'), node('node-3')]);
    for (let i = 0; i < 6; i++) await ctx.store.create(PODS, pod(`p${i}`, {}, 'owner-1'));
    await waitFor(() => [0, 1, 2, 3, 4, 5].every((i) => nodeOf(ctx, `p${i}`) !== undefined), 'all bound');
    const counts = new Map<unknown, number>();
    for (let i = 0; i < 6; i++) counts.set(nodeOf(ctx, `p${i}`), (counts.get(nodeOf(ctx, `p${i}`)) ?? 0) + 1);
    assert.deepEqual([...counts.values()], [2, 2, 2]);
    await running.stop();
  });

  it('leaves a pod that fits nowhere Pending with the reasons, and schedules it when a node with room appears', async () => {
    const { ctx, running } = await setup([
      node('node-1', { cpu: '1' }),
      node('node-2', { cpu: '1' }),
      node('node-3', { unschedulable: true }),
    ]);
    await ctx.store.create(PODS, pod('big', cpu('2')));
    await waitFor(() => scheduledCondition(ctx.store.get(PODS, 'default', 'big'))?.status === 'False', 'unschedulable');
    const condition = scheduledCondition(ctx.store.get(PODS, 'default', 'big'))!;
    assert.equal(condition.reason, 'Unschedulable');
    assert.equal(condition.message, '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
    await ctx.events.flush();
    const failed = ctx.store.list(EVENTS, 'default').items.find((e) => e.reason === 'FailedScheduling');
    assert.equal(failed?.type, 'Warning');
    assert.equal(nodeOf(ctx, 'big'), undefined);
    await ctx.store.create(NODES, node('node-4', { cpu: '4' }));
    ctx.clock.advance(1000);
    await waitFor(() => nodeOf(ctx, 'big') === 'node-4', 'scheduled after the node appeared');
    await running.stop();
  });

  it('counts requests of pods already bound', async () => {
    const { ctx, running } = await setup([node('node-1', { cpu: '1' })]);
    await ctx.store.create(PODS, pod('a', cpu('600m')));
    await ctx.store.create(PODS, pod('b', cpu('600m')));
    await waitFor(
      () =>
        nodeOf(ctx, 'a') !== undefined && scheduledCondition(ctx.store.get(PODS, 'default', 'b'))?.status === 'False',
      'one fits',
    );
    assert.equal(
      scheduledCondition(ctx.store.get(PODS, 'default', 'b'))?.message,
      '0/1 nodes are available: 1 Insufficient cpu.',
    );
    await ctx.store.delete(PODS, 'default', 'a');
    ctx.clock.advance(1000);
    await waitFor(() => nodeOf(ctx, 'b') === 'node-1', 'b fits once a is gone');
    await running.stop();
  });

  it('honours nodeSelector, required node affinity, taints and host ports', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const { ctx, running } = await setup([
      node('node-1', { labels: { disk: 'ssd' } }),
      node('node-2', { taints: [taint] }),
      node('node-3'),
    ]);
    await ctx.store.create(PODS, pod('sel', { nodeSelector: { disk: 'ssd' } }));
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-3'] }] }],
        },
      },
    };
    await ctx.store.create(PODS, pod('aff', { affinity }));
    await ctx.store.create(
      PODS,
      pod('tol', {
        nodeSelector: { 'kubernetes.io/hostname': 'node-2' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      }),
    );
    await ctx.store.create(PODS, pod('untol', { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } }));
    const port = { container: { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] } };
    await ctx.store.create(PODS, pod('port1', { nodeSelector: { disk: 'ssd' }, ...port }));
    await ctx.store.create(PODS, pod('port2', { nodeSelector: { disk: 'ssd' }, ...port }));
    await waitFor(
      () =>
        nodeOf(ctx, 'tol') !== undefined &&
        scheduledCondition(ctx.store.get(PODS, 'default', 'port2'))?.status === 'False',
      'all decided',
    );
    assert.equal(nodeOf(ctx, 'sel'), 'node-1');
    assert.equal(nodeOf(ctx, 'aff'), 'node-3');
    assert.equal(nodeOf(ctx, 'tol'), 'node-2');
    assert.equal(nodeOf(ctx, 'port1'), 'node-1');
    await waitFor(() => scheduledCondition(ctx.store.get(PODS, 'default', 'untol'))?.status === 'False', 'untolerated');
    assert.equal(
      scheduledCondition(ctx.store.get(PODS, 'default', 'untol'))?.message,
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector.",
    );
    assert.equal(
      scheduledCondition(ctx.store.get(PODS, 'default', 'port2'))?.message,
      "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.",
    );
    await running.stop();
  });
});
