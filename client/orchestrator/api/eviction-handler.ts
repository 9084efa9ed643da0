/**
 * POST pods/NAME/eviction (policy/v1 Eviction; policy/v1beta1 bodies too):
 * deletes the pod with the Eviction's DeleteOptions unless the one
 * PodDisruptionBudget that selects it allows no disruption (429
 * TooManyRequests with a DisruptionBudget cause, as Kubernetes answers).
 * An allowed eviction takes one from the budget's `disruptionsAllowed` and
 * records the pod in `disruptedPods` before the pod is deleted; the
 * disruption controller forgets it once the pod is gone or two minutes passed.
 */
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';
import { badRequest, conflict, notFound, StatusError } from '../store/errors';
import { clone, isObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { isDryRun, type ApiContext, type Call } from './api-context';
import { deleteObject, propagationOf, type DeleteRequest } from './delete-object';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { getStored } from './read-handlers';

export const PDBS = 'policy/poddisruptionbudgets';
/** Kubernetes refuses evictions while a budget has this many evictions its controller has not seen yet. */
const MAX_DISRUPTED_PODS = 2000;
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/** The pod's Ready condition is True. */
export function podIsReady(pod: Stored): boolean {
  const conditions = isObject(pod.status) && Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  return conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

function phaseOf(pod: Stored): unknown {
  return isObject(pod.status) ? pod.status.phase : undefined;
}

function readEviction(call: Call, body: unknown, podName: string): DeleteRequest & { dryRun: boolean } {
  if (!isObject(body)) throw badRequest('the body must be an Eviction object');
  if (body.kind !== undefined && body.kind !== 'Eviction')
    throw badRequest(`kind must be Eviction, not ${JSON.stringify(body.kind)}`);
  const version = body.apiVersion;
  if (version !== undefined && version !== 'policy/v1' && version !== 'policy/v1beta1')
    throw badRequest(`apiVersion must be policy/v1 or policy/v1beta1, not ${JSON.stringify(version)}`);
  const name = isObject(body.metadata) ? body.metadata.name : undefined;
  if (name !== undefined && name !== '' && name !== podName)
    throw badRequest('name in URL does not match name in Eviction object');
  const options = body.deleteOptions ?? {};
  if (!isObject(options)) throw badRequest('deleteOptions must be an object');
  const grace = options.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isSafeInteger(grace) || grace < 0))
    throw badRequest(`deleteOptions.gracePeriodSeconds: must be a non-negative integer, not ${JSON.stringify(grace)}`);
  const pre = options.preconditions;
  if (pre !== undefined && pre !== null && !isObject(pre))
    throw badRequest('deleteOptions.preconditions must be an object');
  const request: DeleteRequest & { dryRun: boolean } = { dryRun: isDryRun(call, options.dryRun) };
  if (typeof grace === 'number') request.gracePeriodSeconds = grace;
  if (options.propagationPolicy !== undefined && options.propagationPolicy !== null)
    request.propagationPolicy = options.propagationPolicy as NonNullable<DeleteRequest['propagationPolicy']>;
  if (typeof options.orphanDependents === 'boolean') request.orphanDependents = options.orphanDependents;
  if (isObject(pre)) {
    const { uid, resourceVersion } = pre;
    if (
      (uid !== undefined && typeof uid !== 'string') ||
      (resourceVersion !== undefined && typeof resourceVersion !== 'string')
    )
      throw badRequest('deleteOptions.preconditions: uid and resourceVersion must be strings');
    request.preconditions = {
      ...(typeof uid === 'string' ? { uid } : {}),
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
    };
  }
  propagationOf(request); // an unknown policy is a 400 now, before any budget is touched
  return request;
}

function tooManyRequests(cause: string): StatusError {
  return new StatusError('TooManyRequests', VIOLATION, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

function budgetsOf(ctx: ApiContext, pod: Stored): Stored[] {
  const namespace = pod.metadata.namespace ?? '';
  return ctx.store
    .list(PDBS, namespace)
    .items.filter((pdb) => isObject(pdb.spec) && labelSelectorMatcher(pdb.spec.selector)(pod.metadata.labels));
}

const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);

/**
 * Whether the budget lets `pod` go: undefined when it may go without counting
 * against the budget (`unguarded`: delete only while the pod is as read), or
 * the budget with one disruption taken and the pod recorded.
 */
function checkBudget(ctx: ApiContext, pdb: Stored, pod: Stored): { taken?: KubeObject; unguarded?: true } {
  const name = pdb.metadata.name ?? '';
  const spec = isObject(pdb.spec) ? pdb.spec : {};
  const status = isObject(pdb.status) ? pdb.status : {};
  if (num(status.observedGeneration) < num(pdb.metadata.generation))
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  const ready = podIsReady(pod);
  if (!ready && spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { unguarded: true };
  const current = num(status.currentHealthy);
  const desired = num(status.desiredHealthy);
  if (!ready && current >= desired && desired > 0) return { unguarded: true };
  const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0;
  if (allowed < 0) throw new StatusError('Forbidden', 'pdb disruptions allowed is negative');
  const disrupted = isObject(status.disruptedPods) ? status.disruptedPods : {};
  if (Object.keys(disrupted).length > MAX_DISRUPTED_PODS)
    throw new StatusError(
      'Forbidden',
      'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  if (allowed === 0)
    throw tooManyRequests(`The disruption budget ${name} needs ${desired} healthy pods and has ${current} currently`);
  const taken = clone(pdb) as KubeObject;
  const nextStatus: Record<string, unknown> = { ...status, disruptionsAllowed: allowed - 1 };
  const disruptedPods = { ...disrupted };
  Object.defineProperty(disruptedPods, pod.metadata.name ?? '', {
    value: new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  nextStatus.disruptedPods = disruptedPods;
  taken.status = nextStatus;
  return { taken };
}

/**
 * Evicts `pod` as the subresource does (in-process callers too: the node
 * autoscaler's drain): refused with 429 when its budget allows no disruption.
 */
export async function evictPod(
  ctx: ApiContext,
  pod: Stored,
  request: DeleteRequest & { dryRun?: boolean } = {},
): Promise<void> {
  const dryRun = request.dryRun === true;
  const podsDef = ctx.registry.find('', 'v1', 'pods')!;
  for (let attempt = 0; ; attempt++) {
    await ctx.store.settled();
    const current = ctx.store.get('/pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!current) throw notFound('', 'pods', pod.metadata.name ?? '');
    // Preconditions are checked before the budget is touched, so a refused delete takes nothing from it.
    const pre = request.preconditions ?? {};
    const name = current.metadata.name ?? '';
    if (pre.uid !== undefined && pre.uid !== current.metadata.uid)
      throw conflict(
        '',
        'pods',
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion)
      throw conflict(
        '',
        'pods',
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    const phase = phaseOf(current);
    const ignoresBudget =
      phase === 'Succeeded' ||
      phase === 'Failed' ||
      phase === 'Pending' ||
      current.metadata.deletionTimestamp !== undefined;
    let guard = false;
    if (!ignoresBudget) {
      const budgets = budgetsOf(ctx, current);
      if (budgets.length > 1)
        throw new StatusError(
          'InternalError',
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        );
      const pdb = budgets[0];
      if (pdb) {
        const verdict = checkBudget(ctx, pdb, current);
        guard = verdict.unguarded === true;
        if (verdict.taken && !dryRun) {
          try {
            await ctx.store.update(PDBS, verdict.taken, { statusOnly: true });
          } catch (error) {
            // Another eviction took from the budget first: read it again.
            if (error instanceof StatusError && error.reason === 'Conflict' && attempt < 5) continue;
            throw error;
          }
        }
      }
    }
    const guarded: DeleteRequest =
      guard && request.preconditions?.resourceVersion === undefined
        ? {
            ...request,
            preconditions: { ...request.preconditions, resourceVersion: current.metadata.resourceVersion ?? '' },
          }
        : request;
    await deleteObject(ctx, podsDef, current, guarded, dryRun);
    return;
  }
}

export async function handleEviction(call: Call): Promise<void> {
  const body = parseObjectBody(call.req.headers['content-type'], await readBody(call.req));
  const podName = call.info.name ?? '';
  const request = readEviction(call, body, podName);
  await call.ctx.store.settled();
  await evictPod(call.ctx, getStored(call), request);
  sendJson(call.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
