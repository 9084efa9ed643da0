/**
 * Writes for in-process clients (controllers, the scheduler, the kubelet):
 * the same defaults, validation, namespace checks and managedFields as an
 * HTTP request, without HTTP. Reads go straight to the store or an informer.
 */
import { StatusError } from '../store/errors';
import { clone, type KubeObject } from '../store/object';
import type { DeleteOptions, Stored } from '../store/object-store';
import type { ApiContext } from './api-context';
import type { ResourceDef } from './registry';
import { storeKey } from './registry';
import { admitAndWrite } from './write-handlers';

export class AdmittedWriter {
  constructor(
    private readonly ctx: ApiContext,
    /** The field manager recorded in managedFields, e.g. `replicaset-controller`. */
    private readonly manager: string,
  ) {}

  private def(resource: string): ResourceDef {
    const def = this.ctx.registry.resources.find((d) => storeKey(d) === resource);
    if (!def) throw new StatusError('NotFound', `the server could not find the requested resource (${resource})`);
    return def;
  }

  private options(old?: Stored) {
    return { manager: this.manager, fieldValidation: 'Ignore' as const, warnings: [], ...(old ? { old } : {}) };
  }

  /** Creates `object` in `resource` (`apps/replicasets`, `/pods`, ...), defaulted and validated. */
  create(resource: string, object: KubeObject): Promise<Stored> {
    return admitAndWrite(this.ctx, this.def(resource), clone(object), this.options());
  }

  /** Replaces the object (its resourceVersion, if set, must be current). Status is kept for kinds with a status subresource. */
  update(resource: string, object: KubeObject): Promise<Stored> {
    const old = this.current(resource, object);
    return admitAndWrite(this.ctx, this.def(resource), clone(object), this.options(old));
  }

  /** Writes only `status`, as the status subresource does. */
  updateStatus(resource: string, object: KubeObject): Promise<Stored> {
    const old = this.current(resource, object);
    return admitAndWrite(this.ctx, this.def(resource), clone(object), { ...this.options(old), statusOnly: true });
  }

  delete(resource: string, namespace: string, name: string, options: DeleteOptions = {}): Promise<{ object: Stored; removed: boolean }> {
    return this.ctx.store.delete(resource, namespace, name, options);
  }

  private current(resource: string, object: KubeObject): Stored {
    const def = this.def(resource);
    const old = this.ctx.store.get(resource, object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (!old) throw new StatusError('NotFound', `${def.resource} "${object.metadata.name ?? ''}" not found`);
    return old;
  }
}
