/** Shared set-up for controller tests: an in-memory store, a fake clock, informers and a recorder. */
import { FakeClock } from '../clock';
import { localApiContext } from '../api/local-api-context';
import { InformerFactory } from './informer-factory';
import type { KubeObject } from '../store/object';
import { ObjectStore } from '../store/object-store';
import type { ControllerContext } from './controller-context';
import { EventRecorder } from './event-recorder';

export interface TestContext extends ControllerContext {
  clock: FakeClock;
}

/** A fresh cluster's namespaces exist (writes go through admission, which wants them). */
export async function testContext(): Promise<TestContext> {
  const clock = new FakeClock(Date.UTC(2025, 0, 1, 12));
  const store = await ObjectStore.open({ clock });
  for (const name of ['default', 'kube-system']) {
    await store.create('/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  return {
    store,
    api: localApiContext(store, clock),
    clock,
    informers: new InformerFactory(store),
    events: new EventRecorder(store, clock),
  };
}

/** Lets the event loop run until `condition` holds (bounded: fails after `turns` turns). */
export async function waitFor(condition: () => boolean, what = 'condition', turns = 5000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Lets pending work settle: a number of event-loop turns with nothing asserted. */
export async function turns(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function replicaSet(
  name: string,
  replicas: number,
  extra: { minReadySeconds?: number; labels?: Record<string, string> } = {},
): KubeObject {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      ...(extra.minReadySeconds !== undefined ? { minReadySeconds: extra.minReadySeconds } : {}),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

/** Plays the kubelet for controller tests: binds and readies pending pods, removes terminating ones. */
export async function playKubelet(ctx: TestContext, options: { ready?: boolean } = {}): Promise<void> {
  for (const pod of ctx.store.list('/pods').items) {
    const meta = pod.metadata;
    if (meta.deletionTimestamp) {
      await ctx.store
        .delete('/pods', meta.namespace ?? '', meta.name ?? '', { gracePeriodSeconds: 0 })
        .catch(() => undefined);
      continue;
    }
    const status = (pod.status ?? {}) as { phase?: string };
    if (status.phase === 'Running' || options.ready === false) continue;
    const next = structuredClone(pod) as KubeObject;
    (next.spec as Record<string, unknown>).nodeName = 'node-1';
    next.status = {
      phase: 'Running',
      podIP: '10.244.0.9',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      ],
    };
    await ctx.store.update('/pods', next).catch(() => undefined);
  }
}

/** Repeats `playKubelet` and event-loop turns until `condition` holds (bounded). */
export async function driveUntil(
  ctx: TestContext,
  condition: () => boolean,
  what: string,
  options: { ready?: boolean; rounds?: number } = {},
): Promise<void> {
  for (let i = 0; i < (options.rounds ?? 200); i++) {
    if (condition()) return;
    await playKubelet(ctx, options);
    await turns(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}
