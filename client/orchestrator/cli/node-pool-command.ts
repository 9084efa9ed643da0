/**
 * `kube-workbench node add [NAME]` and `node remove NAME`: the simulated node
 * pool through the API. `add` creates a Node labelled
 * `kube-workbench.io/node-group: default` (the control plane starts its
 * kubelet with the node template's capacity) and waits until it is Ready;
 * `remove` cordons the node, evicts its pods through the eviction
 * subresource (PodDisruptionBudgets are honoured: a 429 is retried every 5 s,
 * as kubectl drain does, until `--timeout`), waits for them to go, and
 * deletes the Node. DaemonSet and mirror pods are left to the pod garbage
 * collector; a pod without a controller is evicted too (as `drain --force`).
 */
import { NODE_GROUP_LABEL } from '../controllers/node-autoscaler';
import type { Output } from './args';
import { ClusterApiError, statusMessage, type ClusterApiClient } from './cluster-api-client';
import { staysOnDrain } from '../../../server/kube-model/drain-pods';

const RETRY_MS = 5000;
const POLL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PodItem {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    ownerReferences?: { kind: string; controller?: boolean }[];
    annotations?: Record<string, string>;
  };
  status?: { phase?: string };
}

function items<T>(body: unknown): T[] {
  return body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)
    ? (body as { items: T[] }).items
    : [];
}

/** Polls `check` every 250 ms until it is true or `ms` have passed (then a ClusterApiError saying `what`). */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new ClusterApiError(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

export async function addNode(
  client: ClusterApiClient,
  name: string | undefined,
  output: Output,
  timeoutMs: number,
): Promise<void> {
  let chosen = name;
  if (chosen === undefined) {
    const nodes = await client.get('/api/v1/nodes');
    const taken = new Set(items<{ metadata: { name: string } }>(nodes.body).map((n) => n.metadata.name));
    let i = 1;
    while (taken.has(`kube-workbench-node-${i}`)) i++;
    chosen = `kube-workbench-node-${i}`;
  }
  const created = await client.post('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: chosen, labels: { [NODE_GROUP_LABEL]: 'default' } },
  });
  if (created.status !== 201 && created.status !== 200)
    throw new ClusterApiError(statusMessage(created), created.status);
  const path = `/api/v1/nodes/${encodeURIComponent(chosen)}`;
  await until(`node ${chosen} to be Ready`, timeoutMs, async () => {
    const node = (await client.get(path)).body as { status?: { conditions?: { type: string; status: string }[] } };
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  });
  output.out(`node/${chosen} added`);
}

export async function removeNode(
  client: ClusterApiClient,
  name: string,
  output: Output,
  timeoutMs: number,
): Promise<void> {
  const path = `/api/v1/nodes/${encodeURIComponent(name)}`;
  const cordoned = await client.mergePatch(path, { spec: { unschedulable: true } });
  if (cordoned.status === 404) throw new ClusterApiError(`node ${name} not found`, 404);
  if (cordoned.status !== 200) throw new ClusterApiError(statusMessage(cordoned), cordoned.status);
  output.out(`node/${name} cordoned`);
  const listed = await client.get(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`);
  const pods = items<PodItem>(listed.body).filter(
    (p) => !staysOnDrain(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    pods.map(async (pod) => {
      const podPath = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}`;
      for (;;) {
        const answer = await client.post(`${podPath}/eviction`, {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
        });
        if (answer.status === 201 || answer.status === 200 || answer.status === 404) break;
        if (answer.status !== 429) throw new ClusterApiError(statusMessage(answer), answer.status);
        if (Date.now() + RETRY_MS > deadline)
          throw new ClusterApiError(
            `cannot evict pod ${pod.metadata.namespace}/${pod.metadata.name}: ${statusMessage(answer)}`,
            429,
          );
        output.err(
          `error when evicting pods/"${pod.metadata.name}" -n "${pod.metadata.namespace}" (will retry after 5s): ${statusMessage(answer)}`,
        );
        await sleep(RETRY_MS);
      }
      await until(`pod ${pod.metadata.name} to go`, Math.max(0, deadline - Date.now()), async () => {
        const now = await client.get(podPath);
        return now.status === 404 || (now.body as PodItem).metadata?.uid !== pod.metadata.uid;
      });
      output.out(`pod/${pod.metadata.name} evicted`);
    }),
  );
  const deleted = await client.delete(path);
  if (deleted.status !== 200 && deleted.status !== 404)
    throw new ClusterApiError(statusMessage(deleted), deleted.status);
  output.out(`node/${name} removed`);
}
