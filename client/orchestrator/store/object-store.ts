/**
 * The cluster's objects, keyed by resource (`group/resource`), namespace and
 * name. Every write gets the next global resourceVersion, is made durable by
 * the write-ahead log (when there is one) and only then acknowledged and
 * delivered to watchers, in resourceVersion order. Stored objects are deeply
 * frozen: callers copy before they change anything.
 */
import { rfc3339, type Clock } from '../clock';
import { alreadyExists, conflict, notFound, StatusError, tooDeep } from './errors';
import { SharedValues } from './shared-values';
import { EventHistory, type EventType, type StoreEvent } from './event-history';
import { clone, deepFreeze, jsonEqual, MAX_NESTING_DEPTH, nestingDepth, type KubeObject } from './object';
import {
  deletionBlockers,
  failedPrecondition,
  markedForDeletion,
  splitResource,
  updatedVersion,
  type DeleteOptions,
  type UpdateOptions,
  type WriteOptions,
} from './object-versions';
import { generatedName } from './generated-name';
import { notifyListeners, type StoreListener } from './notify-listeners';
import { PendingWrites } from './pending-writes';
import { durableMatches } from './matching-list';
import { SortedKeys } from './sorted-keys';
import { encodeRecord, logRecord, WriteAheadLog, type SnapshotState, type WalRecord } from './write-ahead-log';
import { newUid } from './uid';

export type { StoreEvent } from './event-history';
export type { StoreListener } from './notify-listeners';
export type Stored = Readonly<KubeObject>;

export interface StoreOptions {
  clock: Clock;
  /** Keep data here; without it the store lives in memory only. */
  dataDir?: string;
  historySize?: number;
  compactBytes?: number;
  /** Start with what can be read from a damaged data directory instead of refusing (`--recover`). */
  recover?: boolean;
  /** Where to say what loading found (a torn last record, a recovery); default stderr. */
  report?: (line: string) => void;
}

/** How much the watch history holds, in log bytes (about 4,000 versions of a running pod), besides its count. */
const HISTORY_BYTES = 16 * 1024 * 1024;

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, Stored>>();
  private readonly listeners = new Map<string, Set<StoreListener>>();
  /** Committed in memory, not yet durable: each event with its key, to deliver or to undo. */
  private readonly pending = new PendingWrites();
  private readonly sortedKeys = new SortedKeys();
  private readonly shared = new SharedValues();
  private history: EventHistory;
  private rv: number;
  private lastWrite: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly clock: Clock,
    private wal: WriteAheadLog | undefined,
    rv: number,
    historySize: number,
  ) {
    this.rv = rv;
    this.history = new EventHistory(rv, historySize, HISTORY_BYTES);
  }

  static async open(options: StoreOptions): Promise<ObjectStore> {
    const historySize = options.historySize ?? 10_000;
    if (options.dataDir === undefined) return new ObjectStore(options.clock, undefined, 0, historySize);
    const holder: { store?: ObjectStore } = {};
    const { wal, state } = await WriteAheadLog.open(options.dataDir, () => holder.store!.snapshot(), {
      ...(options.compactBytes !== undefined ? { compactBytes: options.compactBytes } : {}),
      ...(options.recover ? { recover: true } : {}),
      onFailed: (rvs) => holder.store!.undo(Math.min(...rvs)),
    });
    const report = options.report ?? ((line: string) => process.stderr.write(`kube-workbench: ${line}\n`));
    if (state.tornTail)
      report(
        `${options.dataDir}/wal.jsonl: dropped an incomplete last record (a write a crash cut short, never acknowledged)`,
      );
    for (const line of state.recovered) report(`recovery: ${line}`);
    const store = new ObjectStore(options.clock, wal, state.rv, historySize);
    holder.store = store;
    for (const [r, k, o] of state.entries) {
      store.shared.shareParts(o);
      store.bucket(r).set(k, deepFreeze(o));
    }
    return store;
  }

  /** The newest resourceVersion (as Kubernetes sends it: a string). */
  get resourceVersion(): string {
    return String(this.rv);
  }

  get(resource: string, namespace: string, name: string): Stored | undefined {
    return this.objects.get(resource)?.get(`${namespace}/${name}`);
  }

  /** The objects of `resource` (in one namespace, if given), ordered by namespace and name. */
  list(resource: string, namespace?: string): { items: Stored[]; resourceVersion: string } {
    const items: Stored[] = [];
    const bucket = this.objects.get(resource);
    if (bucket) this.sortedKeys.forEach(resource, bucket, namespace, (key) => items.push(bucket.get(key)!));
    return { items, resourceVersion: this.resourceVersion };
  }

  /**
   * The newest resourceVersion the log holds: writes after it are in memory but not yet durable
   * (nor acknowledged, nor delivered to watchers).
   */
  get durableResourceVersion(): string {
    const oldest = this.pending.oldestRv;
    return String(oldest === undefined ? this.rv : oldest - 1);
  }

  /**
   * As `get`, but as the log holds it: a write not yet durable (so not yet acknowledged) does not
   * show. A read that never waits for the writes in flight, yet shows only acknowledged data.
   */
  getDurable(resource: string, namespace: string, name: string): Stored | undefined {
    const key = `${namespace}/${name}`;
    const before = this.pending.durableState(resource, key);
    return before === undefined ? this.get(resource, namespace, name) : (before ?? undefined);
  }

  /** As `list`, but as the log holds it (see `getDurable`), with the log's resourceVersion. */
  listDurable(resource: string, namespace?: string): { items: Stored[]; resourceVersion: string } {
    const resourceVersion = this.durableResourceVersion;
    const before = this.pending.durableStates(resource);
    if (before.size === 0) return { items: this.list(resource, namespace).items, resourceVersion };
    const items: Stored[] = [];
    const bucket = this.objects.get(resource);
    if (bucket)
      this.sortedKeys.forEach(resource, bucket, namespace, (key) => {
        if (!before.has(key)) items.push(bucket.get(key)!);
      });
    // The keys with writes pending, as they were: inserted in key order (they are few).
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const restored = [...before]
      .filter((e): e is [string, Stored] => e[1] !== null && e[0].startsWith(prefix))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (restored.length === 0) return { items, resourceVersion };
    const merged: Stored[] = [];
    let i = 0;
    for (const [key, obj] of restored) {
      while (i < items.length && objectKeyOf(items[i]!) < key) merged.push(items[i++]!);
      merged.push(obj);
    }
    while (i < items.length) merged.push(items[i++]!);
    return { items: merged, resourceVersion };
  }

  /** Whether a write is committed in memory and not yet durable (nor delivered). */
  get writing(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves once no write is in flight (at once when none is): the store is idle. */
  idle(): Promise<void> {
    return this.pending.whenEmpty();
  }

  /** As `listDurable(...).items.filter(keep)`, without ordering the objects `keep` refuses (matching-list.ts). */
  listDurableMatching(
    resource: string,
    namespace: string | undefined,
    keep: (obj: Stored) => boolean,
  ): { items: Stored[]; resourceVersion: string } {
    const resourceVersion = this.durableResourceVersion;
    const before = this.pending.durableStates(resource);
    return { items: durableMatches(this.objects.get(resource), before, namespace, keep), resourceVersion };
  }

  /** Resolves once every write made so far is durable and delivered: reads after it see only acknowledged data. */
  async settled(): Promise<void> {
    for (let i = 0; i < 20 && this.pending.size > 0; i++) await this.lastWrite.catch(() => undefined);
  }

  /**
   * Stores a new object with a fresh uid, or with the one it carries when `keepUid` says the
   * API's create path assigned it (never a client's: that path replaces any it sent).
   */
  create(resource: string, input: KubeObject, options: WriteOptions & { keepUid?: boolean } = {}): Promise<Stored> {
    if (!options.fresh && nestingDepth(input) > MAX_NESTING_DEPTH) return Promise.reject(tooDeep());
    const obj = options.fresh ? input : clone(input);
    const meta = obj.metadata;
    const namespace = meta.namespace ?? '';
    if (!meta.name && meta.generateName) {
      do meta.name = generatedName(meta.generateName);
      while (this.get(resource, namespace, meta.name));
    }
    const name = meta.name ?? '';
    const key = `${namespace}/${name}`;
    if (this.objects.get(resource)?.has(key)) {
      const [group, res] = splitResource(resource);
      return Promise.reject(alreadyExists(group, res, name));
    }
    if (!options.keepUid || !meta.uid) meta.uid = newUid();
    meta.creationTimestamp = rfc3339(this.clock.now());
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    return this.commit(resource, key, obj, undefined, 'ADDED');
  }

  update(resource: string, input: KubeObject, options: UpdateOptions = {}): Promise<Stored> {
    // A status write takes only the status (one level down) from the input.
    const depth = options.statusOnly ? nestingDepth(input.status) + 1 : options.fresh ? 0 : nestingDepth(input);
    if (depth > MAX_NESTING_DEPTH) return Promise.reject(tooDeep());
    const namespace = input.metadata.namespace ?? '';
    const name = input.metadata.name ?? '';
    const [group, res] = splitResource(resource);
    const old = this.get(resource, namespace, name);
    if (!old) return Promise.reject(notFound(group, res, name));
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) {
      return Promise.reject(
        conflict(
          group,
          res,
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        ),
      );
    }
    const next = updatedVersion(old, input, options);
    const meta = next.metadata;
    if (jsonEqual(old, next)) return Promise.resolve(old);
    const key = `${namespace}/${name}`;
    // The last blocker removed ends a deletion, unless a grace period still runs (the kubelet finishes pods).
    if (meta.deletionTimestamp && deletionBlockers(next).length === 0 && !meta.deletionGracePeriodSeconds) {
      return this.commit(resource, key, null, old, 'DELETED', next);
    }
    return this.commit(resource, key, next, old, 'MODIFIED');
  }

  /** Removes the object, or only marks it (finalizers, graceful pods). `removed` tells which. */
  async delete(
    resource: string,
    namespace: string,
    name: string,
    options: DeleteOptions = {},
  ): Promise<{ object: Stored; removed: boolean }> {
    const [group, res] = splitResource(resource);
    const old = this.get(resource, namespace, name);
    if (!old) throw notFound(group, res, name);
    const failed = failedPrecondition(group, res, name, old, options.preconditions ?? {});
    if (failed) throw failed;
    const key = `${namespace}/${name}`;
    const grace = options.gracePeriodSeconds ?? 0;
    const added = (options.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
    if (deletionBlockers(old).length > 0 || added.length > 0 || grace > 0) {
      const next = markedForDeletion(old, added, grace, this.clock.now());
      if (jsonEqual(next, old)) return { object: old, removed: false };
      return { object: await this.commit(resource, key, next, old, 'MODIFIED'), removed: false };
    }
    return { object: await this.commit(resource, key, null, old, 'DELETED'), removed: true };
  }

  /**
   * Calls `listener` for every change to `resource` (optionally in one namespace).
   * With a resourceVersion, first replays what happened after it (410 Gone when
   * that is older than the window); without one, first sends ADDED for every
   * object the log holds (writes in flight follow as events once durable).
   */
  watch(
    resource: string,
    options: { namespace?: string; resourceVersion?: string },
    listener: StoreListener,
  ): () => void {
    const namespace = options.namespace;
    const wanted = (e: StoreEvent) => namespace === undefined || (e.object.metadata.namespace ?? '') === namespace;
    const rvText = options.resourceVersion;
    let backlog: StoreEvent[];
    if (rvText === undefined || rvText === '' || rvText === '0') {
      backlog = this.listDurable(resource, namespace).items.map((object) => ({
        type: 'ADDED' as const,
        resource,
        object,
        rv: Number(object.metadata.resourceVersion),
      }));
    } else {
      const from = Number(rvText);
      if (!Number.isSafeInteger(from) || from < 0) {
        throw new StatusError('BadRequest', `invalid resource version: ${rvText}`);
      }
      const events = this.history.since(from);
      if (events === undefined) {
        throw new StatusError('Expired', `too old resource version: ${from} (${this.history.oldestResumable})`);
      }
      backlog = events.filter((e) => e.resource === resource && wanted(e));
    }
    for (const e of backlog) listener(e);
    const filtered: StoreListener = (e) => {
      if (wanted(e)) listener(e);
    };
    return this.subscribe(resource, filtered);
  }

  /** Every delivered event for `resource` ('*' for all), without any replay. */
  subscribe(resource: string, listener: StoreListener): () => void {
    let set = this.listeners.get(resource);
    if (!set) this.listeners.set(resource, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    await this.lastWrite.catch(() => undefined);
    await this.wal?.close();
    this.wal = undefined;
  }

  /** Writes a snapshot and truncates the log now. */
  async compact(): Promise<void> {
    await this.wal?.compact();
  }

  private snapshot(): SnapshotState {
    const entries: SnapshotState['entries'] = [];
    for (const [r, bucket] of this.objects) for (const [k, o] of bucket) entries.push([r, k, o]);
    return { rv: this.rv, entries };
  }

  private bucket(resource: string): Map<string, Stored> {
    let bucket = this.objects.get(resource);
    if (!bucket) this.objects.set(resource, (bucket = new Map<string, Stored>()));
    return bucket;
  }

  private commit(
    resource: string,
    key: string,
    next: KubeObject | null,
    old: Stored | undefined,
    type: EventType,
    deleted?: KubeObject,
  ): Promise<Stored> {
    const rv = this.rv + 1;
    const shown = next ?? deleted ?? clone(old!);
    shown.metadata.resourceVersion = String(rv);
    let record: WalRecord | undefined;
    let line: Buffer | undefined;
    try {
      // Serialized before anything changes: a value that cannot be written leaves the store as it was.
      if (this.wal) {
        record = logRecord(rv, resource, key, next, old);
        line = encodeRecord(record);
      }
    } catch (error) {
      return Promise.reject(new StatusError('InternalError', `storage failed: ${describe(error)}`));
    }
    this.rv = rv;
    this.shared.shareParts(shown);
    const object = deepFreeze(shown);
    const bucket = this.bucket(resource);
    if (next === null) {
      bucket.delete(key);
      this.sortedKeys.invalidate(resource);
    } else {
      if (!bucket.has(key)) this.sortedKeys.invalidate(resource);
      bucket.set(key, object);
    }
    const event: StoreEvent = { type, resource, object, rv, ...(old ? { old } : {}) };
    this.pending.push({ event, key, bytes: line === undefined ? 0 : line.length });
    // On failure the log has called `undo` already (synchronously), so this write is gone from memory.
    const durable = this.wal && record ? this.wal.append(record, line) : Promise.resolve();
    const done = durable.then(
      () => {
        this.deliverThrough(rv);
        return object;
      },
      (error: unknown) => {
        throw new StatusError('InternalError', `storage failed: ${describe(error)}`);
      },
    );
    this.lastWrite = done;
    return done;
  }

  /**
   * Takes back every write from resourceVersion `from` on (the log could not make them
   * durable): memory is as before them, they are never delivered, and the counter goes back.
   */
  private undo(from: number): void {
    for (const { event, key } of this.pending.takeFrom(from)) {
      const bucket = this.bucket(event.resource);
      if (event.old) bucket.set(key, event.old);
      else bucket.delete(key);
      this.sortedKeys.invalidate(event.resource);
      this.rv = Math.min(this.rv, event.rv - 1);
    }
  }

  private deliverThrough(rv: number): void {
    for (let write = this.pending.takeOldestThrough(rv); write; write = this.pending.takeOldestThrough(rv)) {
      const { event } = write;
      this.history.push(event, write.bytes);
      notifyListeners(this.listeners.get(event.resource), event);
      notifyListeners(this.listeners.get('*'), event);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

function objectKeyOf(obj: Stored): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
