/** The scale, binding and log subresources. (status goes through the ordinary handlers with `statusOnly`.) */
import { MergeSchema } from '../../../server/kube-model/patch/patch-meta';
import { badRequest, conflict, StatusError } from '../store/errors';
import { clone, isObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { isDryRun, type Call } from './api-context';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { applyPatch, patchType } from './patch-handler';
import { getStored } from './read-handlers';
import { selectorText } from './tables/template-columns';
import { labelsText } from './tables/workload-columns';
import { admitAndStore } from './write-handlers';
import { integerProblem } from './admission/integer-fields';
import { booleanParam } from './query-params';

export function toScale(obj: Stored): KubeObject {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const status = isObject(obj.status) ? obj.status : {};
  const meta = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name ?? '',
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      uid: meta.uid ?? '',
      resourceVersion: meta.resourceVersion ?? '',
      creationTimestamp: meta.creationTimestamp ?? '',
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      // A ReplicationController's selector is a plain label map (an equality selector).
      selector: (obj.kind === 'ReplicationController' ? labelsText : selectorText)(spec.selector).replace('<none>', ''),
    },
  };
}

async function writeScale(call: Call, current: Stored, scale: unknown): Promise<void> {
  if (!isObject(scale) || !isObject(scale.spec)) throw badRequest('the body must be a Scale object');
  const replicas = scale.spec.replicas;
  const undecodable = integerProblem(
    replicas,
    { type: 'integer', format: 'int32' },
    { struct: 'ScaleSpec', field: 'spec.replicas' },
  );
  if (undecodable !== undefined) throw badRequest(`Scale in version "v1" cannot be handled as a Scale: ${undecodable}`);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError(
      'Invalid',
      `Scale.autoscaling "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      {
        name: current.metadata.name ?? '',
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ],
      },
    );
  }
  const wanted = isObject(scale.metadata) ? scale.metadata.resourceVersion : undefined;
  if (typeof wanted === 'string' && wanted !== '' && wanted !== current.metadata.resourceVersion) {
    throw conflict(
      call.def.group,
      call.def.resource,
      current.metadata.name ?? '',
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  const next = clone(current) as KubeObject;
  (next.spec as Record<string, unknown>).replicas = replicas;
  const stored = await admitAndStore(call, next, { old: current, subresource: 'scale' });
  sendJson(call.res, 200, toScale(stored));
}

export async function handleScale(call: Call): Promise<void> {
  const method = call.req.method;
  if (method === 'GET') {
    await call.ctx.store.settled();
    sendJson(call.res, 200, toScale(getStored(call)));
    return;
  }
  if (method === 'PUT') {
    const body = parseObjectBody(call.req.headers['content-type'], await readBody(call.req));
    await call.ctx.store.settled();
    await writeScale(call, getStored(call), body);
    return;
  }
  if (method === 'PATCH') {
    const type = patchType(call);
    if (type === 'application/apply-patch+yaml') throw badRequest('apply is not supported on the scale subresource');
    const body = await readBody(call.req);
    await call.ctx.store.settled();
    const current = getStored(call);
    const scale = MergeSchema.forKind(call.ctx.schemas?.version, {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    await writeScale(call, current, applyPatch(type, toScale(current), body, scale));
    return;
  }
  throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
}

/** POST pods/NAME/binding: assigns the pod to a node, once. */
export async function handleBinding(call: Call): Promise<void> {
  const body = parseObjectBody(call.req.headers['content-type'], await readBody(call.req));
  const target = isObject(body) && isObject(body.target) ? body.target : undefined;
  const node = target?.name;
  if (typeof node !== 'string' || node === '') throw badRequest('Binding.target.name is required');
  const dryRun = isDryRun(call);
  await call.ctx.store.settled();
  const pod = getStored(call);
  const spec = isObject(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    throw conflict(
      '',
      'pods',
      pod.metadata.name ?? '',
      `pod ${pod.metadata.name} is already assigned to node "${spec.nodeName}"`,
    );
  }
  if (pod.metadata.deletionTimestamp)
    throw conflict('', 'pods', pod.metadata.name ?? '', 'pod is being deleted, cannot be assigned to a host');
  const next = clone(pod) as KubeObject;
  (next.spec as Record<string, unknown>).nodeName = node;
  if (!dryRun) await call.ctx.store.update('/pods', next);
  sendJson(call.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** GET pods/NAME/log: the container's output from the runtime of the pod's node (follow, tail, since, previous, timestamps). */
export async function handleLog(call: Call): Promise<void> {
  await call.ctx.store.settled();
  const pod = getStored(call);
  const containers = isObject(pod.spec) && Array.isArray(pod.spec.containers) ? pod.spec.containers : [];
  const q = call.query;
  const names = containers.filter(isObject).map((c) => String(c.name));
  const wanted = q.get('container') ?? (names.length === 1 ? names[0]! : '');
  if (wanted === '') {
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name ?? ''}, choose one of: [${names.join(' ')}]`,
    );
  }
  if (!call.ctx.pods)
    throw badRequest(`container "${wanted}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
  const int = (name: string) => {
    const v = q.get(name);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const sinceTime = q.get('sinceTime');
  const sinceSeconds =
    int('sinceSeconds') ??
    (sinceTime ? Math.max(0, Math.ceil((call.ctx.clock.now() - Date.parse(sinceTime)) / 1000)) : undefined);
  const tailLines = int('tailLines');
  const stream = await call.ctx.pods.logs(pod, wanted, {
    follow: booleanParam(q, 'follow'),
    timestamps: booleanParam(q, 'timestamps'),
    previous: booleanParam(q, 'previous'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
  });
  call.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  call.res.flushHeaders();
  const limit = int('limitBytes');
  let sent = 0;
  stream.on('data', (chunk: Buffer) => {
    if (limit !== undefined) {
      if (sent >= limit) return;
      chunk = chunk.subarray(0, limit - sent);
    }
    sent += chunk.length;
    call.res.write(chunk);
  });
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.destroy();
      resolve();
    };
    stream.once('end', done);
    stream.once('error', done);
    call.res.once('close', done);
  });
  call.res.end();
}
