/**
 * ControllerRevisions, the history of a StatefulSet's or DaemonSet's pod
 * template: each revision stores a strategic merge patch that puts its
 * template back (what `kubectl rollout undo` sends) and a revision number;
 * the owner's current template is always the highest revision (a template
 * seen before moves its old revision to the top instead of making a new
 * one). Names are `<owner>-<hash>`; a name taken by different data is a
 * collision, counted in the owner's `status.collisionCount`, which changes
 * the hash. Revisions left without an owner (an orphaning delete) are
 * adopted by an owner whose selector matches them, as their pods are.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { ControllerContext } from '../machinery/controller-context';
import { byControllerUid, type Informer } from '../machinery/informer';
import { StatusError } from '../store/errors';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { controllerRef, numberOr, ownerReferenceTo } from '../machinery/controller-context';
import { podTemplateHash, semantic } from './deployment-util';
import { labelSelectorMatcher } from '../../../server/kube-model/label-selector';

export const STATEFUL_SETS = 'apps/statefulsets';
export const DAEMON_SETS = 'apps/daemonsets';
export const CONTROLLER_REVISIONS = 'apps/controllerrevisions';
/** On pods (and DaemonSet revisions): which revision the pod was made from. */
export const REVISION_LABEL = 'controller-revision-hash';
/** On StatefulSet revisions: the hash of their data. */
export const HASH_LABEL = 'controller.kubernetes.io/hash';

export function revisionNumber(cr: Stored): number {
  return numberOr((cr as JsonObject).revision, 0);
}

function byRevision(a: Stored, b: Stored): number {
  return revisionNumber(a) - revisionNumber(b) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);
}

function templateOf(owner: Stored): JsonObject {
  const spec = isObject(owner.spec) ? owner.spec : {};
  return isObject(spec.template) ? spec.template : {};
}

/** A copy with every object's keys in order, as Go writes a map. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys(value[key]);
  return out;
}

/**
 * What a revision stores: a patch that replaces the owner's template with
 * this one, written as kubectl writes it (keys in order, the template's
 * `creationTimestamp: null`), so `kubectl rollout undo` can tell when the
 * template already is the revision's.
 */
export function templatePatch(owner: Stored): JsonObject {
  const template = clone(templateOf(owner));
  template.metadata = { creationTimestamp: null, ...(isObject(template.metadata) ? template.metadata : {}) };
  return { spec: { template: sortedKeys({ $patch: 'replace', ...template }) } };
}

/** The pod template a revision stores. */
export function revisionTemplate(cr: Stored): JsonObject {
  const data = (cr as JsonObject).data;
  const spec = isObject(data) && isObject(data.spec) ? data.spec : {};
  const template = clone(isObject(spec.template) ? spec.template : {});
  delete template.$patch;
  return template;
}

function sameData(cr: Stored, data: JsonObject): boolean {
  return jsonEqual(semantic((cr as JsonObject).data), semantic(data));
}

export interface Revisions {
  /** The revision of the owner's template now. */
  update: Stored;
  /** Every revision the owner controls, lowest revision first. */
  all: Stored[];
  collisionCount: number;
}

export interface HistoryOptions {
  store: ObjectStore;
  writer: AdmittedWriter;
  /** The ControllerRevision informer, with the `controller` index. */
  revisions: Informer;
  /** The owner's resource (`apps/statefulsets`), for writing `status.collisionCount`. */
  ownerResource: string;
  /** The label carrying the hash on a revision. */
  hashLabel: string;
}

export class ControllerHistory {
  constructor(private readonly o: HistoryOptions) {}

  /** The history of `ownerResource`'s objects, read from the shared ControllerRevision informer. */
  static of(
    ctx: ControllerContext,
    writer: AdmittedWriter,
    ownerResource: string,
    hashLabel: string,
  ): ControllerHistory {
    const revisions = ctx.informers.for(CONTROLLER_REVISIONS);
    revisions.addIndexer('controller', byControllerUid);
    return new ControllerHistory({ store: ctx.store, writer, revisions, ownerResource, hashLabel });
  }

  owned(owner: Stored): Stored[] {
    return this.o.revisions.byIndex('controller', owner.metadata.uid ?? '').sort(byRevision);
  }

  /** Revisions without a controller that the owner's selector matches (an orphaning delete left them): adopted. */
  private async adoptOrphans(owner: Stored): Promise<void> {
    if (owner.metadata.deletionTimestamp) return;
    const spec = isObject(owner.spec) ? owner.spec : {};
    const matches = labelSelectorMatcher(spec.selector);
    for (const cr of this.o.revisions.list(owner.metadata.namespace ?? '')) {
      if (controllerRef(cr) || cr.metadata.deletionTimestamp || !matches(cr.metadata.labels)) continue;
      const next = clone(cr) as KubeObject;
      next.metadata.ownerReferences = [...(cr.metadata.ownerReferences ?? []), ownerReferenceTo(owner)];
      await this.o.writer.update(CONTROLLER_REVISIONS, next).catch(() => undefined);
    }
  }

  /** Finds or makes the revision of the owner's template and makes it the highest. */
  async sync(owner: Stored): Promise<Revisions> {
    await this.adoptOrphans(owner);
    const all = this.owned(owner);
    const data = templatePatch(owner);
    const status = isObject(owner.status) ? owner.status : {};
    const collisionCount = numberOr(status.collisionCount, 0);
    const top = all.length > 0 ? revisionNumber(all[all.length - 1]!) : 0;
    const equal = all.filter((cr) => sameData(cr, data));
    let update = equal[equal.length - 1];
    if (update && revisionNumber(update) !== top) {
      const next = clone(update) as KubeObject;
      (next as JsonObject).revision = top + 1;
      update = await this.o.writer.update(CONTROLLER_REVISIONS, next);
    } else if (!update) {
      update = await this.create(owner, data, top + 1, collisionCount);
    }
    const fresh = all.filter((cr) => cr.metadata.uid !== update.metadata.uid);
    return { update, all: [...fresh, update].sort(byRevision), collisionCount };
  }

  private async create(owner: Stored, data: JsonObject, revision: number, collisionCount: number): Promise<Stored> {
    const hash = podTemplateHash(data, collisionCount);
    const name = `${(owner.metadata.name ?? '').slice(0, 223)}-${hash}`;
    const namespace = owner.metadata.namespace ?? 'default';
    const template = templateOf(owner);
    const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
    const cr: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace,
        labels: { ...(labels as Record<string, string>), [this.o.hashLabel]: hash },
        ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
        ownerReferences: [ownerReferenceTo(owner)],
      },
      data,
      revision,
    };
    try {
      return await this.o.writer.create(CONTROLLER_REVISIONS, cr);
    } catch (error) {
      if (!(error instanceof StatusError) || error.reason !== 'AlreadyExists') throw error;
      const existing = this.o.store.get(CONTROLLER_REVISIONS, namespace, name);
      if (existing && controllerRef(existing)?.uid === owner.metadata.uid && sameData(existing, data)) return existing;
      // Another object holds the name: hash again with a higher collision count.
      const latest = this.o.store.get(this.o.ownerResource, namespace, owner.metadata.name ?? '') ?? owner;
      const next = clone(latest) as KubeObject;
      next.status = { ...(isObject(latest.status) ? latest.status : {}), collisionCount: collisionCount + 1 };
      await this.o.writer.updateStatus(this.o.ownerResource, next);
      throw error;
    }
  }

  /** Deletes the oldest revisions beyond `limit`, never one in `live` (by name). */
  async truncate(all: readonly Stored[], live: ReadonlySet<string>, limit: number): Promise<void> {
    const old = all.filter((cr) => !live.has(cr.metadata.name ?? ''));
    for (const cr of old.slice(0, Math.max(0, old.length - limit))) {
      await this.o.writer
        .delete(CONTROLLER_REVISIONS, cr.metadata.namespace ?? '', cr.metadata.name ?? '', {
          preconditions: { uid: cr.metadata.uid ?? '' },
        })
        .catch(() => undefined);
    }
  }
}
