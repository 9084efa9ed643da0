/** Nodes, Leases and bound pods for the node lifecycle and taint-eviction controller tests. */
import { AdmittedWriter } from '../api/admitted-writer';
import { rfc3339 } from '../clock';
import { NODES, PODS } from '../machinery/informer-factory';
import { LEASES, NODE_LEASE_NAMESPACE } from '../machinery/node-lifecycle';
import type { TestContext } from '../machinery/test-support';
import { clone, type JsonObject, type KubeObject } from '../store/object';

export async function createLeaseNamespace(ctx: TestContext): Promise<void> {
  await ctx.store.create('/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NODE_LEASE_NAMESPACE },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

export function readyConditions(now: number, ready: 'True' | 'False' = 'True'): JsonObject[] {
  const at = rfc3339(now);
  return [
    { type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: 'm' },
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'm' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'm' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'm' },
  ].map((c) => ({ ...c, lastHeartbeatTime: at, lastTransitionTime: at }));
}

export async function createNode(ctx: TestContext, name: string, taints?: JsonObject[]): Promise<void> {
  await ctx.store.create(NODES, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: taints ? { taints } : {},
    status: { conditions: readyConditions(ctx.clock.now()) },
  });
}

/** What a kubelet's heartbeat does: renews (or creates) its Lease. */
export async function renewLease(ctx: TestContext, name: string): Promise<void> {
  const renewTime = new Date(ctx.clock.now()).toISOString().replace('Z', '000Z');
  const existing = ctx.store.get(LEASES, NODE_LEASE_NAMESPACE, name);
  if (!existing) {
    await ctx.store.create(LEASES, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
    });
    return;
  }
  const next = clone(existing) as KubeObject;
  (next.spec as JsonObject).renewTime = renewTime;
  await ctx.store.update(LEASES, next);
}

/** A kubelet's status post: all conditions fresh, Ready as given. */
export async function postNodeStatus(ctx: TestContext, name: string, ready: 'True' | 'False' = 'True'): Promise<void> {
  const next = clone(ctx.store.get(NODES, '', name)!) as KubeObject;
  next.status = { conditions: readyConditions(ctx.clock.now(), ready) };
  await ctx.store.update(NODES, next, { statusOnly: true });
}

/** A running, ready pod bound to `node`, created through admission (so it gets the default tolerations). */
export async function runningPod(
  ctx: TestContext,
  name: string,
  node: string,
  tolerations?: JsonObject[],
): Promise<void> {
  const writer = new AdmittedWriter(ctx.api, 'test');
  const pod = await writer.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      containers: [{ name: 'app', image: 'nginx:1.27' }],
      ...(tolerations ? { tolerations } : {}),
    },
  });
  const next = clone(pod) as KubeObject;
  next.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(ctx.clock.now()) }],
  };
  await ctx.store.update(PODS, next, { statusOnly: true });
}
