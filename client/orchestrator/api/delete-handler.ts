/** DELETE of one object (with DeleteOptions) and of a collection. */
import { badRequest } from '../store/errors';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { isDryRun, type Call } from './api-context';
import { deleteObject, propagationOf, type DeleteRequest, type PropagationPolicy } from './delete-object';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { getStored } from './read-handlers';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { storeKey } from './registry';
import { selectorFromQuery } from './selectors';

/** DeleteOptions from the body and the query; `dryRun` from either (kubectl puts it in the body). */
async function readOptions(call: Call): Promise<DeleteRequest & { dryRun: boolean }> {
  const body = await readBody(call.req);
  const parsed = body.length > 0 ? parseObjectBody(call.req.headers['content-type'], body) : {};
  if (!isObject(parsed)) throw badRequest('DeleteOptions must be a JSON object');
  const options = { ...(parsed as DeleteRequest), dryRun: isDryRun(call, parsed.dryRun) };
  const grace = call.query.get('gracePeriodSeconds');
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  const policy = call.query.get('propagationPolicy');
  if (policy !== null) options.propagationPolicy = policy as PropagationPolicy;
  const orphan = call.query.get('orphanDependents');
  if (orphan !== null) options.orphanDependents = orphan === 'true';
  propagationOf(options);
  if (
    options.gracePeriodSeconds !== undefined &&
    (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)
  ) {
    throw badRequest('gracePeriodSeconds must be a non-negative integer');
  }
  return options;
}

async function deleteOne(call: Call, obj: Stored, options: DeleteRequest & { dryRun: boolean }): Promise<Stored> {
  const { object } = await deleteObject(call.ctx, call.def, obj, options, options.dryRun);
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
  const match = selectorFromQuery(call.query, call.def);
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
