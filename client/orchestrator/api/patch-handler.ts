/** PATCH in its four media types: merge, JSON, strategic merge and server-side apply. */
import { badRequest, StatusError } from '../store/errors';
import { clone, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { fieldManager, type Call } from './api-context';
import { assertNotTooDeep, parseJsonBody, readBody, sendJson } from './http-io';
import { parseYamlBody } from './yaml-body';
import { applyJsonPatch } from '../../../server/kube-model/patch/json-patch';
import { PatchError } from '../../../server/kube-model/patch/patch-error';
import { applyMergePatch } from './patch/merge-patch';
import { serverSideApply } from './patch/server-side-apply';
import { applyStrategicMergePatch } from '../../../server/kube-model/patch/strategic-merge-patch';
import { MergeSchema } from '../../../server/kube-model/patch/patch-meta';
import { getStored } from './read-handlers';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { storeKey } from './registry';
import { admitAndStore, checkBody } from './write-handlers';
import { booleanParam } from './query-params';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function patchType(call: Call): string {
  const type = (call.req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!PATCH_TYPES.includes(type)) {
    throw new StatusError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
    );
  }
  return type;
}

/** Applies a JSON-encoded patch of the given type to a document; `schema` is its root (strategic merge). */
export function applyPatch(type: string, target: unknown, body: Buffer, schema: MergeSchema): unknown {
  const patch = parseJsonBody(body);
  try {
    switch (type) {
      case 'application/json-patch+json':
        return applyJsonPatch(target, patch);
      case 'application/merge-patch+json':
        return applyMergePatch(target, patch);
      default:
        return applyStrategicMergePatch(target, patch, schema);
    }
  } catch (e) {
    if (!(e instanceof PatchError)) throw e;
    // The shared engines say what is wrong; the API answers as Kubernetes does for each media type.
    if (type === 'application/json-patch+json')
      throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${e.message}`);
    throw new StatusError('BadRequest', e.message);
  }
}

export async function handlePatch(call: Call, statusOnly = false): Promise<void> {
  const type = patchType(call);
  const body = await readBody(call.req);
  await call.ctx.store.settled();
  if (type === 'application/apply-patch+yaml') {
    await handleApply(call, body);
    return;
  }
  const current = getStored(call);
  // A JSON patch can put a deep value at a deep path: the result is checked too.
  const schema = MergeSchema.forKind(call.ctx.schemas?.version, call.def);
  const patched = assertNotTooDeep(applyPatch(type, clone(current), body, schema));
  const object = checkBody(call, patched);
  if (object.metadata.resourceVersion === undefined)
    object.metadata.resourceVersion = current.metadata.resourceVersion!;
  const updated = await admitAndStore(call, object, { old: current, statusOnly, raw: patched });
  sendJson(call.res, 200, updated);
}

async function handleApply(call: Call, body: Buffer): Promise<void> {
  if (!call.query.get('fieldManager')) {
    throw badRequest('PATCH, application/apply-patch+yaml requests must have a fieldManager');
  }
  const raw = parseYamlBody(body);
  const config = checkBody(call, clone(raw));
  const live: Stored | undefined = call.ctx.store.get(
    storeKey(call.def),
    call.info.namespace ?? '',
    call.info.name ?? '',
  );
  const merged: KubeObject = serverSideApply({
    live,
    config,
    manager: fieldManager(call),
    force: booleanParam(call.query, 'force'),
    apiVersion: apiVersionOf(call.def),
    now: call.ctx.clock.now(),
    schema: MergeSchema.forKind(call.ctx.schemas?.version, call.def),
  });
  const stored = await admitAndStore(call, merged, { ...(live ? { old: live } : {}), managedFieldsDone: true, raw });
  sendJson(call.res, live ? 200 : 201, stored);
}
