/**
 * Writes for in-process clients (controllers, the scheduler, the kubelet):
 * the same defaults, validation, namespace checks and managedFields as an
 * HTTP request, without HTTP. Reads go straight to the store or an informer.
 */
import { conflict, StatusError, tooDeep } from '../store/errors';
import { clone, cloneWithin, isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { ApiContext } from './api-context';
import { deleteObject, type DeleteRequest } from './delete-object';
import type { ResourceDef } from './registry';
import { admitAndWrite } from './write-handlers';

export class AdmittedWriter {
  constructor(
    private readonly ctx: ApiContext,
    /** The field manager recorded in managedFields, e.g. `replicaset-controller`. */
    private readonly manager: string,
  ) {}

  private def(resource: string): ResourceDef {
    const def = this.ctx.registry.forStoreKey(resource);
    if (!def) throw new StatusError('NotFound', `the server could not find the requested resource (${resource})`);
    return def;
  }

  private options(old?: Stored) {
    return { manager: this.manager, fieldValidation: 'Ignore' as const, warnings: [], ...(old ? { old } : {}) };
  }

  /** Creates `object` in `resource` (`apps/replicasets`, `/pods`, ...), defaulted and validated. */
  create(resource: string, object: KubeObject): Promise<Stored> {
    // This write's own copy, its depth checked in the same walk: the store takes it without another.
    const copy = cloneWithin(object);
    if (copy === undefined) return Promise.reject(tooDeep());
    return this.paced(admitAndWrite(this.ctx, this.def(resource), copy, { ...this.options(), fresh: true }));
  }

  /** Replaces the object (its resourceVersion, if set, must be current). Status is kept for kinds with a status subresource. */
  update(resource: string, object: KubeObject): Promise<Stored> {
    const old = this.current(resource, object);
    const copy = cloneWithin(object);
    if (copy === undefined) return Promise.reject(tooDeep());
    return this.paced(admitAndWrite(this.ctx, this.def(resource), copy, { ...this.options(old), fresh: true }));
  }

  /** Writes only `status`, as the status subresource does. */
  updateStatus(resource: string, object: KubeObject): Promise<Stored> {
    const old = this.current(resource, object);
    // Only status (and the name and resourceVersion in metadata) is read from a status write: the rest is not copied.
    const copy = { ...object, metadata: { ...object.metadata }, status: clone(object.status) };
    // The status is this call's own copy: the store takes it without another.
    return this.paced(
      admitAndWrite(this.ctx, this.def(resource), copy, { ...this.options(old), statusOnly: true, fresh: true }),
    );
  }

  /** Deletes as the API does: pods on a node get their grace period (or `gracePeriodSeconds`), the propagation policy its finalizer. */
  delete(
    resource: string,
    namespace: string,
    name: string,
    options: DeleteRequest = {},
  ): Promise<{ object: Stored; removed: boolean }> {
    const def = this.def(resource);
    const obj = this.ctx.store.get(resource, namespace, name);
    if (!obj) throw new StatusError('NotFound', `${def.resource} "${name}" not found`, { name, kind: def.resource });
    return this.paced(deleteObject(this.ctx, def, obj, options));
  }

  /**
   * What the `pods/binding` subresource does: sets `spec.nodeName` once; `status`
   * may change the status in the same write (the PodScheduled condition).
   */
  async bind(
    namespace: string,
    name: string,
    nodeName: string,
    status?: (old: JsonObject) => JsonObject,
  ): Promise<Stored> {
    const pod = this.ctx.store.get('/pods', namespace, name);
    if (!pod) throw new StatusError('NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const spec = isObject(pod.spec) ? pod.spec : {};
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
      throw conflict('', 'pods', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    if (pod.metadata.deletionTimestamp)
      throw conflict('', 'pods', name, 'pod is being deleted, cannot be assigned to a host');
    // New shells around the stored (frozen) parts: the containers, managedFields and the rest are shared
    // with the stored pod, not copied, and the store keeps `next` as it is.
    const next: KubeObject = { ...pod, metadata: { ...pod.metadata }, spec: { ...spec, nodeName } };
    if (status) next.status = status(isObject(pod.status) ? { ...pod.status } : {});
    return this.paced(this.ctx.store.update('/pods', next, { fresh: true }));
  }

  /** Resolves with the write's result once the context's pace (if any) lets its writer go on. */
  private async paced<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    const turn = this.ctx.pace?.();
    if (turn) await turn;
    return result;
  }

  private current(resource: string, object: KubeObject): Stored {
    const def = this.def(resource);
    const old = this.ctx.store.get(resource, object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (!old) throw new StatusError('NotFound', `${def.resource} "${object.metadata.name ?? ''}" not found`);
    return old;
  }
}
