/**
 * Mirrors one resource of the store into an indexed cache and tells handlers
 * what changed, as client-go's shared informer does. The store runs in the
 * same process, so list+watch is one `store.watch` call that replays every
 * object as ADDED and then streams acknowledged changes in order. Cached
 * objects are the store's frozen ones: never mutate them, copy first.
 */
import type { ObjectStore, StoreEvent, Stored } from '../store/object-store';

export interface InformerHandlers {
  onAdd?(obj: Stored): void;
  onUpdate?(old: Stored, obj: Stored): void;
  onDelete?(obj: Stored): void;
}

/** Values an object is indexed under (e.g. its node name, its owner's uid). */
export type IndexFunc = (obj: Stored) => readonly string[];

export function objectKey(obj: Stored): string {
  const ns = obj.metadata.namespace ?? '';
  return ns === '' ? (obj.metadata.name ?? '') : `${ns}/${obj.metadata.name ?? ''}`;
}

export function splitKey(key: string): [namespace: string, name: string] {
  const slash = key.indexOf('/');
  return slash === -1 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}

export const byNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** The uid of the object's controller (the owner reference with `controller: true`). */
export const byControllerUid: IndexFunc = (obj) => {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
};

/** Every owner's uid. */
export const byOwnerUid: IndexFunc = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

export class Informer {
  private readonly cache = new Map<string, Stored>();
  private readonly indexers = new Map<string, IndexFunc>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly handlers = new Set<InformerHandlers>();
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly store: ObjectStore,
    readonly resource: string,
  ) {
    this.addIndexer('namespace', byNamespace);
  }

  get started(): boolean {
    return this.unwatch !== undefined;
  }

  addIndexer(name: string, fn: IndexFunc): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, obj] of this.cache) for (const value of fn(obj)) addTo(index, value, key);
  }

  /** Registers handlers; objects already cached are announced to them as adds. */
  addHandlers(handlers: InformerHandlers): () => void {
    this.handlers.add(handlers);
    if (handlers.onAdd) for (const obj of this.cache.values()) handlers.onAdd(obj);
    return () => this.handlers.delete(handlers);
  }

  /** Lists and watches. Call after `store.settled()` so only acknowledged objects show. */
  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.store.watch(this.resource, {}, (event) => this.apply(event));
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  get(namespace: string, name: string): Stored | undefined {
    return this.cache.get(namespace === '' ? name : `${namespace}/${name}`);
  }

  getByKey(key: string): Stored | undefined {
    return this.cache.get(key);
  }

  list(namespace?: string): Stored[] {
    if (namespace === undefined) return [...this.cache.values()];
    return this.byIndex('namespace', namespace);
  }

  get size(): number {
    return this.cache.size;
  }

  byIndex(name: string, value: string): Stored[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    const out: Stored[] = [];
    for (const key of keys) {
      const obj = this.cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  private apply(event: StoreEvent): void {
    const obj = event.object;
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      if (old) this.unindex(key, old);
      this.cache.delete(key);
      for (const h of this.handlers) h.onDelete?.(obj);
      return;
    }
    this.cache.set(key, obj);
    // An update moves the key only in the indexes whose values changed (a pod's status write keeps
    // its namespace, node and owners: six indexes of pods were emptied and refilled per write).
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name)!;
      const values = fn(obj);
      if (old) {
        const before = fn(old);
        if (sameValues(before, values)) continue;
        removeFrom(index, before, key);
      }
      for (const value of values) addTo(index, value, key);
    }
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  private unindex(key: string, obj: Stored): void {
    for (const [name, fn] of this.indexers) removeFrom(this.indexes.get(name)!, fn(obj), key);
  }
}

function removeFrom(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    const set = index.get(value);
    if (!set) continue;
    set.delete(key);
    if (set.size === 0) index.delete(value);
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(key);
}
