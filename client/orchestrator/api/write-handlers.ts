/** create, update (PUT) and the shared path every write takes: checks, admission, store. */
import { badRequest, invalid, StatusError } from '../store/errors';
import { clone, deepFreeze, isObject, type KubeObject } from '../store/object';
import { generatedName } from '../store/generated-name';
import type { Stored } from '../store/object-store';
import type { AdmissionContext, FieldValidation } from './admission/admission';
import { fieldManager, fieldValidation, isDryRun, type ApiContext, type Call } from './api-context';
import { parseObjectBody, readBody, sendJson } from './http-io';
import { assertNamespaceExists, ensureDefaultServiceAccount } from './namespace-lifecycle';
import { recordManagedFields } from './patch/managed-fields';
import { MergeSchema } from '../../../server/kube-model/patch/patch-meta';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { storeKey, type ResourceDef } from './registry';
import { getStored } from './read-handlers';
import { checkSchemaFields } from './admission/schema-fields';
import { newUid } from '../store/uid';

/** Checks a body against the URL it was sent to and fills in apiVersion, kind and namespace. */
export function checkBody(call: Call, body: unknown): KubeObject {
  const { def, info } = call;
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
  const expected = apiVersionOf(def);
  if (body.apiVersion === undefined) body.apiVersion = expected;
  if (body.kind === undefined) body.kind = def.kind;
  if (body.apiVersion !== expected || body.kind !== def.kind) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected}) or kind (${String(body.kind)} vs ${def.kind})`,
    );
  }
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isObject(body.metadata)) throw badRequest('metadata must be an object');
  const meta = body.metadata;
  if (def.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== info.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = info.namespace;
  } else delete meta.namespace;
  if (info.name !== undefined) {
    if (meta.name === undefined || meta.name === '') meta.name = info.name;
    if (meta.name !== info.name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${info.name})`,
      );
    }
  }
  return body as KubeObject;
}

export interface StoreOptions {
  old?: Stored;
  statusOnly?: boolean;
  /** Server-side apply records its own managedFields. */
  managedFieldsDone?: boolean;
  /** The object as the client sent it, to look for unknown fields. */
  raw?: unknown;
  /** The subresource written through (`scale`), for managedFields. */
  subresource?: string;
  /**
   * The caller copied the object (a status write: its status) for this write alone, its depth
   * checked: the store keeps that copy (see ObjectStore).
   */
  fresh?: boolean;
}

/** Admits the object (defaults, validation) and writes it; nothing is stored when it is invalid. */
export function admitAndStore(call: Call, object: KubeObject, options: StoreOptions = {}): Promise<Stored> {
  return admitAndWrite(call.ctx, call.def, object, {
    ...options,
    manager: fieldManager(call),
    fieldValidation: fieldValidation(call.query),
    warnings: call.warnings,
    dryRun: isDryRun(call),
  });
}

export interface WriteOptions extends StoreOptions {
  manager: string;
  fieldValidation: FieldValidation;
  warnings: string[];
  dryRun?: boolean;
}

/** The write path shared by HTTP handlers and in-process writers (controllers). */
export async function admitAndWrite(
  ctx: ApiContext,
  def: ResourceDef,
  object: KubeObject,
  options: WriteOptions,
): Promise<Stored> {
  const { old } = options;
  const key = storeKey(def);
  const context: AdmissionContext = {
    operation: old ? 'UPDATE' : 'CREATE',
    def,
    store: ctx.store,
    fieldValidation: options.fieldValidation,
    warnings: options.warnings,
    ...(old ? { old } : {}),
    ...(options.subresource !== undefined ? { subresource: options.subresource } : {}),
  };
  if (options.raw !== undefined) checkSchemaFields(def, options.raw, context, ctx.schemas);
  const meta = object.metadata;
  if (!old && !meta.name && meta.generateName) {
    // The name is generated before validation, as Kubernetes' BeforeCreate does.
    do meta.name = generatedName(meta.generateName);
    while (ctx.store.get(key, meta.namespace ?? '', meta.name));
  }
  // So is the uid (a client's is replaced): defaults may use it, e.g. a Job's generated selector.
  if (!old) meta.uid = newUid();
  if (!options.statusOnly) {
    ctx.admission.default(object, context);
    const causes = ctx.admission.validate(object, context);
    if (causes.length > 0) throw invalid(def.group, def.kind, object.metadata.name ?? '', causes);
  }
  // A status-only write keeps the stored metadata whole (store.update), managedFields included:
  // recording them would be thrown away, except in a dry run's answer.
  const metadataKept = options.statusOnly === true && !options.dryRun;
  if (!options.managedFieldsDone && !metadataKept) {
    recordManagedFields(
      object,
      old,
      options.manager,
      'Update',
      apiVersionOf(def),
      ctx.clock.now(),
      MergeSchema.forKind(ctx.schemas?.version, def),
      options.statusOnly ? 'status' : options.subresource,
    );
  }
  if (options.dryRun) return deepFreeze(clone(object));
  if (!old) {
    if (def.namespaced) assertNamespaceExists(ctx.store, object.metadata.namespace ?? '');
    const created = await ctx.store.create(key, object, { keepUid: true, fresh: options.fresh === true });
    if (def.kind === 'Namespace' && def.group === '')
      await ensureDefaultServiceAccount(ctx.store, created.metadata.name ?? '');
    return created;
  }
  const hasStatus = def.subresources.includes('status');
  return ctx.store.update(
    key,
    object,
    options.statusOnly
      ? { statusOnly: true, fresh: options.fresh === true }
      : { preserveStatus: hasStatus, fresh: options.fresh === true },
  );
}

export async function readObjectBody(call: Call): Promise<{ object: KubeObject; raw: unknown }> {
  const raw = parseObjectBody(call.req.headers['content-type'], await readBody(call.req));
  const copy = clone(raw);
  return { object: checkBody(call, copy), raw };
}

export async function handleCreate(call: Call): Promise<void> {
  if (call.info.name !== undefined)
    throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const { object, raw } = await readObjectBody(call);
  if (!object.metadata.name && !object.metadata.generateName) {
    throw invalid(call.def.group, call.def.kind, '', [
      { reason: 'FieldValueRequired', message: 'name or generateName is required', field: 'metadata.name' },
    ]);
  }
  delete object.metadata.resourceVersion;
  const created = await admitAndStore(call, object, { raw });
  sendJson(call.res, 201, created);
}

export async function handleUpdate(call: Call, statusOnly = false): Promise<void> {
  const { object, raw } = await readObjectBody(call);
  await call.ctx.store.settled();
  const old = getStored(call);
  const updated = await admitAndStore(call, object, { old, statusOnly, raw });
  sendJson(call.res, 200, updated);
}
