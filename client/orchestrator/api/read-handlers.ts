/** get and list, as JSON objects or as Tables. */
import { notFound } from '../store/errors';
import type { Stored } from '../store/object-store';
import type { Call } from './api-context';
import { sendJson, sendJsonBytes } from './http-io';
import { listJson, objectJson } from './object-json';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { storeKey } from './registry';
import { selectorFromQuery } from './selectors';
import { parseIncludeObject, toTable, wantsTable } from './tables/table';

export function respondObjects(
  call: Call,
  objects: readonly Stored[],
  single: boolean,
  listVersion = call.ctx.store.resourceVersion,
): void {
  const { ctx, def, req, res, query } = call;
  const resourceVersion = single ? (objects[0]?.metadata.resourceVersion ?? '') : listVersion;
  if (wantsTable(req.headers.accept)) {
    const table = toTable(def, objects, {
      now: ctx.clock.now(),
      resourceVersion,
      includeObject: parseIncludeObject(query.get('includeObject')),
    });
    sendJson(res, 200, table, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  if (single) {
    sendJsonBytes(res, 200, objectJson(objects[0]!));
    return;
  }
  sendJsonBytes(res, 200, listJson(`${def.kind}List`, apiVersionOf(def), resourceVersion, objects));
}

export function getStored(call: Call): Stored {
  const { ctx, def, info } = call;
  const obj = ctx.store.get(storeKey(def), info.namespace ?? '', info.name ?? '');
  if (!obj) throw notFound(def.group, def.resource, info.name ?? '');
  return obj;
}

/**
 * Reads answer at once with what the log holds: they never wait for the writes in flight (which
 * under controller churn never all settle), and show none that is not yet acknowledged.
 */
export function handleGet(call: Call): Promise<void> {
  const { ctx, def, info } = call;
  const obj = ctx.store.getDurable(storeKey(def), info.namespace ?? '', info.name ?? '');
  if (!obj) throw notFound(def.group, def.resource, info.name ?? '');
  respondObjects(call, [obj], true);
  return Promise.resolve();
}

export function handleList(call: Call): Promise<void> {
  const { ctx, def, info, query } = call;
  const match = selectorFromQuery(query, def);
  // With a selector only the matches are ordered (10,000 pods sorted per LIST while pods are created otherwise).
  const selected = Boolean(query.get('labelSelector') || query.get('fieldSelector'));
  const { items, resourceVersion } = selected
    ? ctx.store.listDurableMatching(storeKey(def), info.namespace, match)
    : ctx.store.listDurable(storeKey(def), info.namespace);
  respondObjects(call, selected ? items : items.filter(match), false, resourceVersion);
  return Promise.resolve();
}
