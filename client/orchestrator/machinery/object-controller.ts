/**
 * The wiring every controller of one kind of object shares, as Kubernetes'
 * sample-controller: an informer of that kind whose every add, update and
 * delete only enqueues the object's key; a work queue with backoff (time from
 * the context's clock); workers that reconcile one key at a time (`run`,
 * stopped by the returned handle); the API writer and event recorder under
 * the controller's name. A subclass provides `reconcile(key)`, level-driven:
 * it reads the cache (never mutating what it reads) and makes the world agree.
 *
 * Controllers that own other objects (a ReplicaSet its pods, a CronJob its
 * Jobs) add `watchOwned`: a change to an owned object enqueues its
 * controlling owner (the previous one too when that changed), and with
 * `adopts` an orphan enqueues every owner in its namespace that may adopt it
 * (sample-controller's handleObject).
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import { undecodableIntegers } from '../api/admission/schema-fields';
import type { OwnerReference } from '../store/object';
import type { Stored } from '../store/object-store';
import { controllerRef, writerFor, type ControllerContext } from './controller-context';
import { runWorkers, type RunningController } from './controller-runner';
import type { Recorder } from './event-recorder';
import { byControllerUid, objectKey, splitKey, type Informer } from './informer';
import { WorkQueue, type WorkQueueOptions } from './work-queue';

export interface ObjectControllerSpec {
  /** The controller's name: its events' component, its managedFields manager and its log prefix. */
  name: string;
  /** The kind it reconciles, as `group/resource`: every change to one enqueues its key. */
  resource: string;
  /** Workers `run()` starts when not told otherwise. */
  workers: number;
  /** The managedFields manager, when it is not `name`. */
  manager?: string;
  /** Retry backoff of the work queue. */
  backoff?: WorkQueueOptions;
  /**
   * Whether an update enqueues the object (default: every one). A controller that reads only its
   * object's spec says `specReplaced`: a status write (which keeps the stored spec) then costs it nothing.
   */
  updates?: (old: Stored, obj: Stored) => boolean;
}

/**
 * Whether an update gave the object another spec. The store keeps the stored (frozen) spec itself
 * through status and metadata writes, so the same object means no change; a new one may be equal.
 */
export function specReplaced(old: Stored, obj: Stored): boolean {
  return old.spec !== obj.spec;
}

export interface OwnedObjects {
  /** Whether a controller reference names one of this controller's objects. */
  owns: (ref: OwnerReference) => boolean;
  /** Whether `owner` may adopt the orphan `owned`; without it orphans are left alone. */
  adopts?: (owner: Stored, owned: Stored) => boolean;
}

export abstract class ObjectController {
  readonly queue: WorkQueue;
  /** The informer of the kind this controller reconciles. */
  protected readonly objects: Informer;
  protected readonly writer: AdmittedWriter;
  protected readonly record: Recorder;

  constructor(
    protected readonly ctx: ControllerContext,
    private readonly spec: ObjectControllerSpec,
  ) {
    this.queue = new WorkQueue(ctx.clock, spec.backoff);
    this.writer = writerFor(ctx, spec.manager ?? spec.name);
    this.record = ctx.events.for({ component: spec.name });
    this.objects = ctx.informers.for(spec.resource);
    const enqueue = (obj: Stored) => this.enqueue(obj);
    const updates = spec.updates;
    this.objects.addHandlers({
      onAdd: (obj) => {
        if (this.concerns(obj)) enqueue(obj);
      },
      onUpdate: (old, obj) => {
        if ((!updates || updates(old, obj)) && this.concerns(obj)) enqueue(obj);
      },
      onDelete: enqueue,
    });
  }

  /**
   * Whether an added or updated object is this controller's business now (default: every one). One
   * that is not is not enqueued, so neither checked nor reconciled; the controller enqueues it itself
   * when that changes (a pod-keyed controller when the pod's node does). Called from the base
   * constructor too, before a subclass's own fields are set, for objects an informer already holds.
   */
  protected concerns(_obj: Stored): boolean {
    return true;
  }

  /** Brings the object under `key` (`namespace/name`, or `name`) to its wanted state; a throw retries it with backoff. */
  abstract reconcile(key: string): Promise<void>;

  run(workers = this.spec.workers): RunningController {
    return runWorkers(this.spec.name, this.queue, workers, (key) => this.reconcileWellFormed(key));
  }

  /**
   * Reconciles only objects whose integer fields decode: one stored by an older
   * version with `replicas: 1.5` or `1e12` gets a Warning event and is left
   * alone until it is fixed, rather than driving a loop with a count that is no count.
   */
  private reconcileWellFormed(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const obj = this.objects.get(namespace, name);
    const def = this.ctx.api.registry.forStoreKey(this.spec.resource);
    const bad = obj && def ? undecodableIntegers(def, obj, this.ctx.api.schemas) : [];
    if (obj && bad.length > 0) {
      const fields = bad.map((b) => `${b.path}: ${b.message}`).join('; ');
      this.record(obj, 'Warning', 'InvalidObject', `not reconciled until it is fixed: ${fields}`);
      return Promise.resolve();
    }
    return this.reconcile(key);
  }

  protected enqueue(obj: Stored): void {
    this.queue.add(objectKey(obj));
  }

  /**
   * The shared informer of `resource`, indexed by controller uid (`controller`), whose changes enqueue the
   * owners that control, or may adopt, each object.
   */
  protected watchOwned(resource: string, o: OwnedObjects): Informer {
    const owned = this.ctx.informers.for(resource);
    owned.addIndexer('controller', byControllerUid);
    const enqueueOwners = (obj: Stored) => {
      const ref = controllerRef(obj);
      const namespace = obj.metadata.namespace ?? '';
      if (ref) {
        if (o.owns(ref)) this.queue.add(`${namespace}/${ref.name}`);
      } else if (o.adopts && !obj.metadata.deletionTimestamp) {
        for (const owner of this.objects.list(namespace)) if (o.adopts(owner, obj)) this.enqueue(owner);
      }
    };
    owned.addHandlers({
      onAdd: enqueueOwners,
      onUpdate: (old, obj) => {
        enqueueOwners(obj);
        if (controllerRef(old)?.uid !== controllerRef(obj)?.uid) enqueueOwners(old);
      },
      onDelete: enqueueOwners,
    });
    return owned;
  }
}
