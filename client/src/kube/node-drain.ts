/**
 * Draining a node as `kubectl drain --ignore-daemonsets --delete-emptydir-data`
 * does: cordon it, then evict every pod on it through the `pods/eviction`
 * subresource (so PodDisruptionBudgets are honoured), retrying an eviction the
 * API refuses with 429 every few seconds, and waiting until each evicted pod
 * is gone. DaemonSet pods and mirror (static) pods stay; pods no controller
 * manages are evicted only when the caller allows it, since nothing brings
 * them back. No `vscode` here.
 */
import { staysOnDrain } from '../../../server/kube-model/drain-pods.js';
import { ClusterError } from './cluster-error.js';
import type { ClusterConnection } from './cluster-connection.js';
import type { KubeObject } from './kube-object.js';
import { arr } from './json-fields.js';

export interface DrainPlan {
  evict: KubeObject[];
  /** DaemonSet pods and mirror pods: left on the node, as `--ignore-daemonsets` does. */
  ignored: KubeObject[];
  /** Pods no controller manages: evicting them deletes them for good. */
  unmanaged: KubeObject[];
}

const podName = (p: KubeObject) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/** Which pods on the node a drain evicts. Finished pods are evicted too (they hold nothing, but kubectl removes them). */
export function planDrain(pods: readonly KubeObject[]): DrainPlan {
  const plan: DrainPlan = { evict: [], ignored: [], unmanaged: [] };
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const controller = arr(pod.metadata?.ownerReferences).find((r) => r.controller === true);
    if (staysOnDrain(pod)) plan.ignored.push(pod);
    else if (!controller) plan.unmanaged.push(pod);
    else plan.evict.push(pod);
  }
  return plan;
}

export interface DrainProgress {
  evicted: number;
  total: number;
  /** The pods an eviction is still refused for, with the API's reason. */
  waiting: Map<string, string>;
}

export interface DrainOptions {
  /** Evict pods that no controller manages too (kubectl's `--force`). */
  deleteUnmanaged?: boolean;
  signal?: AbortSignal;
  /** Between refused evictions and while waiting for pods to go; kubectl waits 5 s. */
  retryMs?: number;
  onProgress?: (progress: DrainProgress) => void;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('the drain was cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(new Error('the drain was cancelled'));
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export async function cordonNode(conn: ClusterConnection, node: string, unschedulable = true): Promise<void> {
  await conn.writer.patch({ apiVersion: 'v1', kind: 'Node', name: node }, { spec: { unschedulable } });
}

async function podsOn(conn: ClusterConnection, node: string): Promise<KubeObject[]> {
  const { items } = await conn.reader.list('v1', 'Pod', { fieldSelector: `spec.nodeName=${node}` });
  return items;
}

/** Evicts one pod, retrying while a disruption budget refuses (429); resolves once the pod is gone. */
async function evict(conn: ClusterConnection, pod: KubeObject, options: DrainOptions, progress: DrainProgress) {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const retry = options.retryMs ?? 5000;
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
  for (;;) {
    try {
      await conn.request('POST', `/api/v1/namespaces/${namespace}/pods/${encodeURIComponent(name)}/eviction`, {
        body,
      });
      progress.waiting.delete(podName(pod));
      break;
    } catch (error) {
      if (error instanceof ClusterError && error.notFound) break;
      if (!(error instanceof ClusterError) || error.status !== 429) throw error;
      progress.waiting.set(podName(pod), error.message);
      options.onProgress?.(progress);
      await delay(retry, options.signal);
    }
  }
  // Gone, or replaced by a pod of the same name (a StatefulSet's): a different uid.
  for (;;) {
    const now = await conn.reader.get({ apiVersion: 'v1', kind: 'Pod', namespace, name });
    if (!now || now.metadata?.uid !== pod.metadata?.uid) break;
    await delay(Math.min(retry, 500), options.signal);
  }
  progress.evicted++;
  options.onProgress?.(progress);
}

/** Cordons the node and evicts its pods; the pods that stay (DaemonSet, mirror, unmanaged when not allowed) are returned. */
export async function drainNode(conn: ClusterConnection, node: string, options: DrainOptions = {}): Promise<DrainPlan> {
  await cordonNode(conn, node);
  const plan = planDrain(await podsOn(conn, node));
  const targets = options.deleteUnmanaged ? [...plan.evict, ...plan.unmanaged] : plan.evict;
  const progress: DrainProgress = { evicted: 0, total: targets.length, waiting: new Map() };
  options.onProgress?.(progress);
  await Promise.all(targets.map((pod) => evict(conn, pod, options, progress)));
  return plan;
}
