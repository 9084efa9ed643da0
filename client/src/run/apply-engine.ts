/**
 * Applies the objects of one or more manifests as a unit: dependency order,
 * a server-side dry run of everything first, then the real apply; when an
 * object fails, what this run created is deleted and what it changed is put
 * back. Then it waits for the workloads to become ready or fail.
 */
import { ClusterError, errorText } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import { sortForApply, sortForDelete, type ManifestObject } from './manifest-documents.js';
import { describeRef, refOf, type ObjectRef } from '../kube/object-ref.js';
import { WORKLOAD_KINDS, type RolloutState } from './rollout-status.js';
import { waitForRollout } from './rollout-waiter.js';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface AppliedObject {
  kind: string;
  namespace?: string;
  name: string;
  action: ApplyAction;
}

export interface RolloutReport {
  kind: string;
  namespace: string;
  name: string;
  state: RolloutState;
}

export interface ApplyResult {
  applied: AppliedObject[];
  ready: boolean;
  error?: string;
  rollouts: RolloutReport[];
}

export interface ApplyOptions {
  /** Wait for workloads (default true); the timeout is per workload. */
  wait?: boolean;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

interface Resolved {
  ref: ObjectRef;
  object: ManifestObject;
}

interface Planned extends Resolved {
  before: KubeObject | undefined;
}

/** Fills in the namespace of namespaced objects (the connection's default) and drops it from cluster-scoped ones. */
async function resolveNamespaces(conn: ClusterConnection, objects: readonly ManifestObject[]): Promise<Resolved[]> {
  const out: Resolved[] = [];
  for (const o of objects) {
    const copy = structuredClone(o);
    let namespaced = true;
    try {
      namespaced = (await conn.resource(o.apiVersion, o.kind)).namespaced;
    } catch (error) {
      // A kind the cluster does not serve yet may be a CRD's created in this run; the dry run reports it otherwise.
      if (!(error instanceof ClusterError && error.notFound)) throw error;
    }
    if (namespaced) copy.metadata.namespace = o.metadata.namespace ?? conn.defaultNamespace;
    else delete copy.metadata.namespace;
    out.push({ ref: refOf(copy), object: copy });
  }
  return out;
}

function appliedOf(o: ObjectRef, action: ApplyAction): AppliedObject {
  const a: AppliedObject = { kind: o.kind, name: o.name, action };
  if (o.namespace) a.namespace = o.namespace;
  return a;
}

export async function applyObjects(
  conn: ClusterConnection,
  objects: readonly ManifestObject[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const progress = options.onProgress ?? (() => undefined);
  let resolved: Resolved[];
  try {
    resolved = sortForApply(await resolveNamespaces(conn, objects));
  } catch (error) {
    return { applied: [], ready: false, error: errorText(error), rollouts: [] };
  }
  const namespacesInRun = new Set(resolved.filter((r) => r.ref.kind === 'Namespace').map((r) => r.ref.name));
  const plan: Planned[] = [];
  // 1. Read what exists and dry-run every object; nothing is stored if any of them is refused.
  for (const { ref, object } of resolved) {
    progress(`checking ${describeRef(ref)}`);
    try {
      const before = await conn.reader.get(ref);
      plan.push({ ref, object, before });
      await conn.writer.apply(object, { dryRun: true });
    } catch (error) {
      const pending =
        ref.namespace !== undefined &&
        namespacesInRun.has(ref.namespace) &&
        error instanceof ClusterError &&
        error.notFound;
      if (pending) continue; // its namespace is created by this run: only the real apply can check it
      return {
        applied: [],
        ready: false,
        error: `${describeRef(ref)} was refused (nothing was applied): ${errorText(error)}`,
        rollouts: [],
      };
    }
  }
  // 2. Apply for real, in order; on a failure, undo this run's changes.
  const applied: AppliedObject[] = [];
  const done: Planned[] = [];
  for (const step of plan) {
    progress(`applying ${describeRef(step.ref)}`);
    try {
      const after = await conn.writer.apply(step.object);
      const action: ApplyAction = !step.before
        ? 'created'
        : after.metadata?.resourceVersion === step.before.metadata?.resourceVersion
          ? 'unchanged'
          : 'configured';
      applied.push(appliedOf(step.ref, action));
      if (action !== 'unchanged') done.push(step);
    } catch (error) {
      const undone = await rollBack(conn, done);
      return {
        applied: [],
        ready: false,
        error: `${describeRef(step.ref)} failed: ${errorText(error)}. ${undone}`,
        rollouts: [],
      };
    }
  }
  if (options.wait === false) return { applied, ready: true, rollouts: [] };
  // 3. Wait for the workloads.
  const rollouts: RolloutReport[] = [];
  for (const { ref } of resolved.filter((r) => WORKLOAD_KINDS.has(r.ref.kind))) {
    const state = await waitForRollout(conn, ref, {
      timeoutMs: options.timeoutMs ?? 120_000,
      onProgress: progress,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    rollouts.push({ kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name, state });
  }
  const failed = rollouts.filter((r) => r.state.phase !== 'ready');
  const result: ApplyResult = { applied, ready: failed.length === 0, rollouts };
  if (failed.length > 0)
    result.error = failed.map((r) => `${r.kind} ${r.namespace}/${r.name}: ${failureText(r.state)}`).join('; ');
  return result;
}

export function failureText(state: RolloutState): string {
  if (state.phase !== 'failed') return state.message;
  const where = state.pod ? ` (pod ${state.pod})` : '';
  return state.message.includes(state.reason)
    ? `${state.message}${where}`
    : `${state.reason}: ${state.message}${where}`;
}

/** Deletes what the run created and restores what it changed, newest first; says what it did. */
async function rollBack(conn: ClusterConnection, done: readonly Planned[]): Promise<string> {
  const problems: string[] = [];
  for (const step of [...done].reverse()) {
    try {
      if (!step.before) await conn.writer.delete(step.ref);
      else {
        const restored = structuredClone(step.before);
        if (restored.metadata) {
          delete restored.metadata.resourceVersion;
          delete restored.metadata.managedFields;
        }
        delete restored.status;
        await conn.writer.replace(step.ref, restored);
      }
    } catch (error) {
      problems.push(`${describeRef(step.ref)}: ${errorText(error)}`);
    }
  }
  if (done.length === 0) return 'Nothing was changed.';
  return problems.length === 0
    ? `The ${done.length} object(s) applied before it were rolled back.`
    : `Rolling back failed for ${problems.join('; ')}.`;
}

export interface DeleteResult {
  deleted: { kind: string; namespace?: string; name: string; found: boolean }[];
  error?: string;
}

/** Deletes what the objects name, in reverse dependency order; objects already gone are reported as not found. */
export async function deleteObjects(
  conn: ClusterConnection,
  objects: readonly ManifestObject[],
): Promise<DeleteResult> {
  const deleted: DeleteResult['deleted'] = [];
  let resolved: Resolved[];
  try {
    resolved = await resolveNamespaces(conn, objects);
  } catch (error) {
    return { deleted, error: errorText(error) };
  }
  for (const { ref } of sortForDelete(resolved)) {
    try {
      const found = await conn.writer.delete(ref);
      const row: DeleteResult['deleted'][number] = { kind: ref.kind, name: ref.name, found };
      if (ref.namespace) row.namespace = ref.namespace;
      deleted.push(row);
    } catch (error) {
      return { deleted, error: errorText(error) };
    }
  }
  return { deleted };
}
