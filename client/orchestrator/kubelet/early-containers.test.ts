import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';
import { EVENTS, PODS } from '../machinery/informer-factory';
import type { JsonObject, KubeObject } from '../store/object';
import { FakeRuntime } from './fake-runtime';
import { Kubelet } from './kubelet';
import { PodDispatcher } from './pod-dispatcher';
import type { ContainerConfig, PodSandboxConfig, PodSandboxStatus, WhileStarting } from './runtime';

/**
 * A fake runtime that, as Docker, lets the pod's containers be created while its sandbox starts: it logs the
 * order of sandbox starts, creates and starts, and whether each create came while the sandbox was starting.
 * With `fixedIps`, it tells the kubelet the pod's IP as the sandbox starts (as Docker with a pod range does).
 */
class StartingSandboxes extends FakeRuntime {
  readonly calls: string[] = [];
  fixedIps = false;
  private starting = new Set<string>();

  override async runPodSandbox(config: PodSandboxConfig, whileStarting?: WhileStarting): Promise<PodSandboxStatus> {
    const status = await super.runPodSandbox(config);
    this.starting.add(status.id);
    this.calls.push(`sandbox ${config.name}`);
    await whileStarting?.(status.id, this.fixedIps ? status.ip : undefined);
    this.starting.delete(status.id);
    this.calls.push(`sandbox ${config.name} running`);
    return status;
  }

  override async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig) {
    const id = await super.createContainer(sandboxId, config, sandbox);
    const when = this.starting.has(sandboxId) ? 'early' : 'after';
    this.calls.push(`create ${config.name} ${when} ${config.env.map((e) => `${e.name}=${e.value}`).join(',')}`);
    return id;
  }

  override startContainer(containerId: string): Promise<void> {
    this.calls.push(`start ${containerId.slice(0, 6)}`);
    return super.startContainer(containerId);
  }
}

async function setup() {
  const ctx = await testContext();
  let next = 0;
  const runtime = new StartingSandboxes({ clock: ctx.clock }, () => `10.244.0.${++next}`);
  const kubelet = new Kubelet({
    name: 'node-1',
    store: ctx.store,
    api: ctx.api,
    clock: ctx.clock,
    events: ctx.events,
    runtime,
    dispatcher: new PodDispatcher(ctx.informers.for(PODS)),
  });
  await ctx.informers.start();
  await kubelet.start();
  return { ctx, runtime, kubelet };
}

function pod(name: string, spec: JsonObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', enableServiceLinks: false, ...spec },
    status: { phase: 'Pending' },
  };
}

const statusOf = (ctx: TestContext, name: string) =>
  ctx.store.get(PODS, 'default', name)?.status as JsonObject | undefined;
const ready = (ctx: TestContext, name: string) =>
  (statusOf(ctx, name)?.conditions as JsonObject[] | undefined)?.find((c) => c.type === 'Ready')?.status === 'True';
const reasons = (ctx: TestContext, name: string) =>
  ctx.store
    .list(EVENTS, 'default')
    .items.filter((e) => (e.involvedObject as JsonObject).name === name)
    .map((e) => `${String(e.reason)} ${String(e.message)}`);

describe('containers created while the sandbox starts', () => {
  it('creates the app containers during the sandbox start and starts them once it runs, events as before', async () => {
    const { ctx, runtime, kubelet } = await setup();
    const containers = [
      { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }] },
      { name: 'side', image: 'side:1' },
    ];
    await ctx.store.create(PODS, pod('two', { containers }));
    await waitFor(() => ready(ctx, 'two'), 'ready');
    const log = runtime.calls.filter((l) => !l.startsWith('start'));
    assert.deepEqual(log.slice(0, 1), ['sandbox two']);
    assert.deepEqual(log.slice(1, 3).sort(), ['create side early ', 'create web early A=1']);
    assert.equal(log[3], 'sandbox two running');
    assert.equal(runtime.calls.filter((l) => l.startsWith('start')).length, 2);
    assert.ok(runtime.calls.indexOf('sandbox two running') < runtime.calls.findIndex((l) => l.startsWith('start')));
    assert.equal(statusOf(ctx, 'two')?.podIP, '10.244.0.1');
    await ctx.events.flush(); // Events are written after the writes in flight (event-sink.ts)
    const events = reasons(ctx, 'two');
    for (const c of containers) {
      assert.ok(events.includes(`Pulled Container image "${c.image}" already present on machine`), events.join('\n'));
      assert.ok(events.includes(`Created Created container ${c.name}`), events.join('\n'));
      assert.ok(events.includes(`Started Started container ${c.name}`), events.join('\n'));
    }
    await kubelet.stop();
  });

  it('waits for the sandbox when the environment holds the pod IP, and never creates early with init containers', async () => {
    const { ctx, runtime, kubelet } = await setup();
    const podIp = { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };
    await ctx.store.create(
      PODS,
      pod('ip', {
        containers: [
          { name: 'ip', image: 'web:1', env: [podIp], command: ['sh', '-c', 'echo $(IP)'] },
          { name: 'plain', image: 'web:1' },
        ],
      }),
    );
    await waitFor(() => ready(ctx, 'ip'), 'ready');
    assert.ok(runtime.calls.includes('create ip after IP=10.244.0.1'), runtime.calls.join('\n'));
    assert.ok(runtime.calls.includes('create plain early '), runtime.calls.join('\n'));

    runtime.calls.length = 0;
    await ctx.store.create(
      PODS,
      pod('init', {
        initContainers: [{ name: 'first', image: 'web:1', command: ['true'] }],
        containers: [{ name: 'app', image: 'web:1' }],
      }),
    );
    // The init container runs on (the fake's default), so the app container must not exist yet.
    await waitFor(() => runtime.calls.includes('create first after '), 'init container created');
    assert.equal(runtime.calls.filter((l) => l.startsWith('create')).length, 1, runtime.calls.join('\n'));
    await kubelet.stop();
  });

  it('creates a container whose environment holds the pod IP early when the runtime fixed that IP before the start', async () => {
    const { ctx, runtime, kubelet } = await setup();
    runtime.fixedIps = true;
    const podIp = { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } };
    await ctx.store.create(
      PODS,
      pod('fixed', { containers: [{ name: 'ip', image: 'web:1', env: [podIp], command: ['sh', '-c', 'echo $(IP)'] }] }),
    );
    await waitFor(() => ready(ctx, 'fixed'), 'ready');
    assert.ok(runtime.calls.includes('create ip early IP=10.244.0.1'), runtime.calls.join('\n'));
    assert.equal(statusOf(ctx, 'fixed')?.podIP, '10.244.0.1');
    await kubelet.stop();
  });

  it('leaves a container that cannot be created early to the normal start, which reports it', async () => {
    const { ctx, runtime, kubelet } = await setup();
    await ctx.store.create(
      PODS,
      pod('cm', {
        containers: [{ name: 'app', image: 'web:1', envFrom: [{ configMapRef: { name: 'missing' } }] }],
      }),
    );
    await waitFor(
      () =>
        ((statusOf(ctx, 'cm')?.containerStatuses as JsonObject[] | undefined)?.[0]?.state as JsonObject | undefined)
          ?.waiting !== undefined,
      'waiting',
    );
    const state = (statusOf(ctx, 'cm')?.containerStatuses as JsonObject[])[0]!.state as JsonObject;
    assert.equal((state.waiting as JsonObject).reason, 'CreateContainerConfigError');
    assert.equal(runtime.calls.filter((l) => l.startsWith('create')).length, 0);
    await kubelet.stop();
  });
});
