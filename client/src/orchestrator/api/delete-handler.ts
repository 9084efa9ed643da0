/** DELETE of one object (with DeleteOptions) and of a collection. */
import { badRequest } from '../store/errors';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { isDryRun, type Call } from './api-context';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { assertDeletable, deleteNamespaceContents } from './namespace-lifecycle';
import { getStored } from './read-handlers';
import { apiVersionOf, storeKey } from './registry';
import { selectorFromQuery } from './selectors';

interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function readOptions(call: Call): Promise<DeleteOptionsBody> {
  const body = await readBody(call.req);
  const parsed = body.length > 0 ? parseObjectBody(call.req.headers['content-type'], body) : {};
  if (!isObject(parsed)) throw badRequest('DeleteOptions must be a JSON object');
  const options = parsed as DeleteOptionsBody;
  const grace = call.query.get('gracePeriodSeconds');
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  const policy = call.query.get('propagationPolicy');
  if (policy !== null) options.propagationPolicy = policy;
  if (options.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
    throw badRequest('gracePeriodSeconds must be a non-negative integer');
  }
  return options;
}

/** Pods on a node get their grace period (the kubelet finishes them); everything else goes at once. */
function gracePeriod(obj: Stored, options: DeleteOptionsBody, kind: string): number {
  if (kind !== 'Pod') return 0;
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return 0;
  const fromSpec = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  return options.gracePeriodSeconds ?? fromSpec;
}

async function deleteOne(call: Call, obj: Stored, options: DeleteOptionsBody): Promise<Stored> {
  const { ctx, def } = call;
  const name = obj.metadata.name ?? '';
  const namespace = obj.metadata.namespace ?? '';
  if (def.kind === 'Namespace' && def.group === '') {
    assertDeletable(name);
    if (!isDryRun(call.query)) await deleteNamespaceContents(ctx.store, ctx.registry, name);
  }
  if (isDryRun(call.query)) return obj;
  const { object } = await ctx.store.delete(storeKey(def), namespace, name, {
    gracePeriodSeconds: gracePeriod(obj, options, def.kind),
    ...(options.preconditions ? { preconditions: options.preconditions } : {}),
  });
  return object;
}

export async function handleDelete(call: Call): Promise<void> {
  const options = await readOptions(call);
  await call.ctx.store.settled();
  const deleted = await deleteOne(call, getStored(call), options);
  sendJson(call.res, 200, deleted);
}

export async function handleDeleteCollection(call: Call): Promise<void> {
  const options = await readOptions(call);
  const match = selectorFromQuery(call.query);
  await call.ctx.store.settled();
  const items: Stored[] = [];
  for (const obj of call.ctx.store.list(storeKey(call.def), call.info.namespace).items.filter(match)) {
    items.push(await deleteOne(call, obj, options));
  }
  sendJson(call.res, 200, {
    kind: `${call.def.kind}List`,
    apiVersion: apiVersionOf(call.def),
    metadata: { resourceVersion: call.ctx.store.resourceVersion },
    items,
  });
}
