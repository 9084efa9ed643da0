/**
 * Waits, on watch streams, until a workload is ready or has failed: the
 * workload itself, its ReplicaSets (Deployments) and its pods are watched and
 * the state is re-evaluated on every event.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import { errorText } from '../kube/cluster-error.js';
import type { ObjectRef } from '../kube/object-ref.js';
import { labelSelectorOf, rolloutState, type RolloutState } from './rollout-status.js';

export interface WaitOptions {
  /** Give up after this long (the state then says what it was waiting for). */
  timeoutMs: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * How long a workload must stay ready before it counts as ready (default 2 s): a container
   * that starts and exits at once is briefly "ready", and Run must not report it as such.
   */
  settleMs?: number;
}

function key(o: KubeObject): string {
  return o.metadata?.name ?? '';
}

export async function waitForRollout(
  conn: ClusterConnection,
  ref: ObjectRef,
  options: WaitOptions,
): Promise<RolloutState> {
  const namespace = ref.namespace ?? conn.defaultNamespace;
  let workload = await conn.reader.get(ref);
  if (!workload) return { phase: 'failed', reason: 'NotFound', message: `${ref.kind} ${ref.name} is gone` };
  const selector = ref.kind === 'Pod' ? '' : labelSelectorOf(workload);
  const pods = new Map<string, KubeObject>();
  const replicaSets = new Map<string, KubeObject>();
  const stops: (() => void)[] = [];
  let finish: (state: RolloutState) => void = () => undefined;
  const done = new Promise<RolloutState>((resolve) => (finish = resolve));
  let last: RolloutState = { phase: 'progressing', message: 'waiting' };
  let settling: ReturnType<typeof setTimeout> | undefined;
  const evaluate = () => {
    if (!workload) return;
    last = rolloutState(workload, [...replicaSets.values()], [...pods.values()]);
    options.onProgress?.(`${ref.kind} ${ref.name}: ${last.message}`);
    if (last.phase === 'failed') finish(last);
    else if (last.phase === 'progressing') {
      clearTimeout(settling);
      settling = undefined;
    } else
      settling ??= setTimeout(() => {
        if (last.phase === 'ready') finish(last);
      }, options.settleMs ?? 2_000);
  };
  const track = (map: Map<string, KubeObject>) => (type: string, o: KubeObject) => {
    if (type === 'DELETED') map.delete(key(o));
    else map.set(key(o), o);
    evaluate();
  };
  const broken = (what: string) => (error: unknown) =>
    finish({ phase: 'failed', reason: 'WatchFailed', message: `the watch of ${what} broke: ${errorText(error)}` });
  const timer = setTimeout(
    () =>
      finish({
        phase: 'failed',
        reason: 'Timeout',
        message: `not ready after ${Math.round(options.timeoutMs / 1000)} s (${last.message})`,
      }),
    options.timeoutMs,
  );
  const onAbort = () => finish({ phase: 'failed', reason: 'Cancelled', message: 'cancelled' });
  options.signal?.addEventListener('abort', onAbort);
  try {
    stops.push(
      await conn.reader.watch(
        ref.apiVersion,
        ref.kind,
        { namespace, fieldSelector: `metadata.name=${ref.name}` },
        (type, o) => {
          if (type === 'DELETED')
            finish({ phase: 'failed', reason: 'Deleted', message: `${ref.kind} ${ref.name} was deleted` });
          else {
            workload = o;
            evaluate();
          }
        },
        broken(ref.kind),
      ),
    );
    if (ref.kind === 'Deployment')
      stops.push(
        await conn.reader.watch(
          'apps/v1',
          'ReplicaSet',
          { namespace, labelSelector: selector },
          track(replicaSets),
          broken('ReplicaSets'),
        ),
      );
    if (ref.kind !== 'Pod')
      stops.push(
        await conn.reader.watch('v1', 'Pod', { namespace, labelSelector: selector }, track(pods), broken('Pods')),
      );
    evaluate();
    return await done;
  } finally {
    clearTimeout(timer);
    clearTimeout(settling);
    options.signal?.removeEventListener('abort', onAbort);
    for (const stop of stops) stop();
  }
}
