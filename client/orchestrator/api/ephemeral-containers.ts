/**
 * `pods/NAME/ephemeralcontainers` (GET, PUT, PATCH): the one way to add a debug container to a
 * running pod, as `kubectl debug` does. The body is a Pod, but only its
 * `spec.ephemeralContainers` is taken (everything else is the stored pod's, as Kubernetes'
 * strategy does); containers may only be added: an existing one may not be changed or removed.
 * The new list then goes through the pod's ordinary admission (defaults, and the shared rules:
 * names unique in the pod, no ports, probes, lifecycle or resources, a target that exists).
 */
import { defaultEphemeralContainer } from './admission/defaults';
import { MergeSchema } from '../../../server/kube-model/patch/patch-meta';
import { badRequest, conflict, invalid, StatusError, type StatusCause } from '../store/errors';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { Call } from './api-context';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { applyPatch, patchType } from './patch-handler';
import { getStored } from './read-handlers';
import { admitAndStore } from './write-handlers';

const FIELD = 'spec.ephemeralContainers';

export async function handleEphemeralContainers(call: Call): Promise<void> {
  const method = call.req.method;
  if (method === 'GET') {
    await call.ctx.store.settled();
    sendJson(call.res, 200, getStored(call));
    return;
  }
  if (method === 'PUT') {
    const body = parseObjectBody(call.req.headers['content-type'], await readBody(call.req));
    await call.ctx.store.settled();
    await writeEphemeral(call, getStored(call), body);
    return;
  }
  if (method === 'PATCH') {
    const type = patchType(call);
    if (type === 'application/apply-patch+yaml')
      throw badRequest('apply is not supported on the ephemeralcontainers subresource');
    const body = await readBody(call.req);
    await call.ctx.store.settled();
    const current = getStored(call);
    const schema = MergeSchema.forKind(call.ctx.schemas?.version, { group: '', version: 'v1', kind: 'Pod' });
    await writeEphemeral(call, current, applyPatch(type, clone(current), body, schema));
    return;
  }
  throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

async function writeEphemeral(call: Call, current: Stored, body: unknown): Promise<void> {
  const name = current.metadata.name ?? '';
  if (!isObject(body)) throw badRequest('the body must be a Pod object');
  if ((body.kind !== undefined && body.kind !== 'Pod') || (body.apiVersion !== undefined && body.apiVersion !== 'v1'))
    throw badRequest(`the body must be a v1 Pod, not ${JSON.stringify(body.apiVersion)} ${JSON.stringify(body.kind)}`);
  const meta = isObject(body.metadata) ? body.metadata : {};
  if (meta.name !== undefined && meta.name !== name)
    throw badRequest(
      `the name of the object (${JSON.stringify(meta.name)}) does not match the name on the URL (${name})`,
    );
  const wanted = meta.resourceVersion;
  if (typeof wanted === 'string' && wanted !== '' && wanted !== current.metadata.resourceVersion)
    throw conflict(
      '',
      'pods',
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  const spec = isObject(body.spec) ? body.spec : {};
  const list = spec.ephemeralContainers;
  if (list !== undefined && list !== null && !Array.isArray(list))
    throw invalid('', 'Pod', name, [
      { reason: 'FieldValueTypeInvalid', message: 'Invalid value: must be a list of containers', field: FIELD },
    ]);
  const proposed = Array.isArray(list) ? list : [];
  const causes = onlyAdded(oldList(current), proposed);
  if (causes.length > 0) throw invalid('', 'Pod', name, causes);
  const next = clone(current) as KubeObject;
  const nextSpec = next.spec as JsonObject;
  if (proposed.length > 0) nextSpec.ephemeralContainers = clone(proposed) as unknown[];
  else delete nextSpec.ephemeralContainers;
  const stored = await admitAndStore(call, next, { old: current, subresource: 'ephemeralcontainers' });
  sendJson(call.res, 200, stored);
}

function oldList(pod: Stored): JsonObject[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers.filter(isObject) : [];
}

/** Every existing ephemeral container is still there and unchanged (after defaults), in its place. */
function onlyAdded(old: JsonObject[], proposed: unknown[]): StatusCause[] {
  const out: StatusCause[] = [];
  const byName = new Map<string, { at: number; c: unknown }>();
  proposed.forEach((c, at) => {
    if (isObject(c) && typeof c.name === 'string' && !byName.has(c.name)) byName.set(c.name, { at, c });
  });
  const removed = old.filter((c) => !byName.has(String(c.name))).map((c) => String(c.name));
  if (removed.length > 0) {
    out.push({
      reason: 'FieldValueForbidden',
      message: `Forbidden: existing ephemeral containers ${removed.map((n) => JSON.stringify(n)).join(', ')} may not be removed`,
      field: FIELD,
    });
  }
  for (const c of old) {
    const found = byName.get(String(c.name));
    if (!found) continue;
    const given = isObject(found.c) ? clone(found.c) : {};
    defaultEphemeralContainer(given);
    if (!jsonEqual(given, c)) {
      out.push({
        reason: 'FieldValueForbidden',
        message: `Forbidden: existing ephemeral containers ${JSON.stringify(c.name)} may not be changed`,
        field: `${FIELD}[${found.at}]`,
      });
    }
  }
  return out;
}
