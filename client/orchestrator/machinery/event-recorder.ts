/**
 * Writes core/v1 Events about objects, as client-go's recorder does: the
 * correlator drops spam and folds many similar events into one; a repeat of
 * the same Event bumps `count`, `lastTimestamp` (and the message of a
 * combined one) instead of making a new one. Recording never blocks or
 * fails the caller.
 */
import { randomFillSync } from 'node:crypto';
import { rfc3339, type Clock } from '../clock';
import { EVENTS } from './informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import { BoundedMap } from './bounded-map';
import { EventSubject } from './event-correlator';
import { StatusError } from '../store/errors';
import type { ObjectStore, Stored } from '../store/object-store';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  /**
   * What the correlator and the dedupe keep, by object (its uid: a string the object already holds,
   * so a lookup makes no key) and then by source: the subjects of the last `maxTracked` objects.
   */
  private readonly objects: BoundedMap<string, ObjectSubjects>;
  private pending = 0;
  private readonly idle: (() => void)[] = [];
  /**
   * Parts many Events repeat, kept once (stored objects are frozen, so they can be shared): a
   * source's copy, the reference to one version of an object (a pod's Scheduled, Pulled, Created and
   * Started name the same version), and recent message texts (10,000 "Started container app").
   */
  private readonly sources = new WeakMap<EventSource, SourceCopy>();
  private readonly references = new WeakMap<Stored, Readonly<JsonObject>>();
  private readonly messages = new BoundedMap<string, string>(MESSAGES);

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    maxTracked = 4096,
  ) {
    this.objects = new BoundedMap(maxTracked);
  }

  /** A recorder that reports as `source` (the controller's or kubelet's name). */
  for(source: EventSource): (obj: Stored, type: EventType, reason: string, message: string) => void {
    return (obj, type, reason, message) => this.record(source, obj, type, reason, message);
  }

  record(source: EventSource, obj: Stored, type: EventType, reason: string, text: string): void {
    const namespace = obj.metadata.namespace || 'default';
    const copy = this.sourceCopy(source);
    const now = this.clock.now();
    const observed = this.subjectOf(copy, obj, namespace).observe(type, reason, text, now, () => ({
      name: `${obj.metadata.name ?? ''}.${eventSuffix(now)}`,
      chain: DONE,
      stored: false,
    }));
    if (!observed) return;
    const { entry: seen, message } = observed;
    this.pending++;
    // A failed write is dropped (recording never fails the caller); either way the chain goes on.
    seen.chain = seen.chain
      .then(() => this.write(namespace, seen, copy.source, obj, type, reason, message))
      .then(this.written, this.written);
  }

  /** The correlator's subject for `obj` as `source` reports it. */
  private subjectOf(source: SourceCopy, obj: Stored, namespace: string): EventSubject<SeenEvent> {
    const meta = obj.metadata;
    const kind = obj.kind;
    const name = meta.name ?? '';
    const uid = meta.uid ?? '';
    let key = uid !== '' ? uid : `\u0000${kind}\u0000${namespace}\u0000${name}`;
    let subjects = this.objects.get(key);
    if (subjects && (subjects.kind !== kind || subjects.namespace !== namespace || subjects.name !== name)) {
      // Another object with this uid (only ever made up, not stored): told apart by its whole name.
      key = `${uid}\u0000${kind}\u0000${namespace}\u0000${name}`;
      subjects = this.objects.get(key);
    }
    if (!subjects) {
      subjects = { kind, namespace, name, bySource: new Map() };
      this.objects.set(key, subjects);
    }
    let subject = subjects.bySource.get(source.key);
    if (!subject) subjects.bySource.set(source.key, (subject = new EventSubject(this.clock.now())));
    return subject;
  }

  private readonly written = (): void => {
    if (--this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
  };

  /** Resolves when every recorded event has been written (for tests and shutdown). */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async write(
    namespace: string,
    seen: SeenEvent,
    source: Readonly<EventSource>,
    obj: Stored,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = rfc3339(this.clock.now());
    const { name } = seen;
    // A name this recorder has not stored yet is created straight away (the store refuses it if
    // it exists, and it is bumped then): most Events are written once, and looking each up first
    // among tens of thousands cost more than the create's own check.
    if (!seen.stored) {
      try {
        await this.store.create(EVENTS, this.fresh(name, namespace, source, obj, type, reason, message, now), FRESH);
        seen.stored = true;
        return;
      } catch (error) {
        if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
      }
    }
    const existing = this.store.get(EVENTS, namespace, name);
    if (existing) {
      const next = clone(existing) as KubeObject;
      next.count = (typeof existing.count === 'number' ? existing.count : 1) + 1;
      next.lastTimestamp = now;
      next.message = message;
      await this.store.update(EVENTS, next, FRESH);
    } else await this.store.create(EVENTS, this.fresh(name, namespace, source, obj, type, reason, message, now), FRESH);
    seen.stored = true;
  }

  /** A new Event, to be created. */
  private fresh(
    name: string,
    namespace: string,
    source: Readonly<EventSource>,
    obj: Stored,
    type: EventType,
    reason: string,
    message: string,
    now: string,
  ): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      // The store's create sets the last four (and its commit the resourceVersion), in this order: declared
      // here, the stored metadata holds them in the object itself rather than in a store of added properties.
      metadata: { name, namespace, uid: '', creationTimestamp: '', generation: 0, resourceVersion: '' },
      involvedObject: this.referenceTo(obj),
      reason,
      message: this.intern(message),
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
  }

  /** The Event's `involvedObject` for this version of `obj`, one frozen object per version. */
  private referenceTo(obj: Stored): Readonly<JsonObject> {
    let ref = this.references.get(obj);
    if (ref === undefined) {
      const meta = obj.metadata;
      ref = Object.freeze({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: meta.name ?? '',
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        uid: meta.uid ?? '',
        resourceVersion: meta.resourceVersion ?? '',
      });
      // Only a stored (frozen) version stays as it is; another object could change after this Event.
      if (Object.isFrozen(obj)) this.references.set(obj, ref);
    }
    return ref;
  }

  /** A frozen copy of `source` and its key, one per source (the recorder of one controller or kubelet). */
  private sourceCopy(source: EventSource): SourceCopy {
    let copy = this.sources.get(source);
    if (copy === undefined || copy.source.component !== source.component || copy.source.host !== source.host) {
      copy = { source: Object.freeze({ ...source }), key: `${source.component}\u0000${source.host ?? ''}` };
      this.sources.set(source, copy);
    }
    return copy;
  }

  /** `message`, or the same text seen among the last messages (a bounded table, oldest out first). */
  private intern(message: string): string {
    const known = this.messages.get(message);
    if (known !== undefined) return known;
    this.messages.set(message, message);
    return message;
  }
}

/** The correlator's subjects of one object, by source, and the object's name to tell uids made up twice apart. */
interface ObjectSubjects {
  kind: string;
  namespace: string;
  name: string;
  bySource: Map<string, EventSubject<SeenEvent>>;
}

interface SourceCopy {
  source: Readonly<EventSource>;
  key: string;
}

interface SeenEvent {
  name: string;
  chain: Promise<void>;
  /** Whether this recorder has stored the Event (then a repeat looks it up to bump its count). */
  stored: boolean;
}

/** The chain of an Event not written yet (a resolved promise can be shared). */
const DONE: Promise<void> = Promise.resolve();

/** The recorder's writes: objects made for the write alone (the store keeps them, not copies). */
const FRESH = Object.freeze({ fresh: true });

/** How many distinct message texts the recorder keeps to share. */
const MESSAGES = 1024;

/**
 * Kubernetes names events `<object>.<hex of the time in ns>`; a random tail keeps them unique here:
 * the hex of `now * 10^6 + tail`, exact without a BigInt (the product passes 2^53) as `high * 2^20 + low`.
 */
function eventSuffix(now: number): string {
  const lowMs = now % LOW;
  let high = (now - lowMs) / LOW; // now's bits above the low 20, times 10^6 below
  high *= 1_000_000;
  let low = lowMs * 1_000_000 + randomTail(); // under 2^20 * 10^6 + 2^24: exact
  const carry = Math.floor(low / LOW);
  high += carry;
  low -= carry * LOW;
  return high === 0 ? low.toString(16) : high.toString(16) + low.toString(16).padStart(5, '0');
}

/** 2^20: the low part of an event's suffix, five hex digits. */
const LOW = 0x100000;

/** Random bytes drawn a pool at a time: one call to the system per 1,024 events rather than one each. */
const pool = Buffer.alloc(3 * 1024);
let poolAt = pool.length;

function randomTail(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const n = pool.readUIntBE(poolAt, 3);
  poolAt += 3;
  return n;
}

export type Recorder = ReturnType<EventRecorder['for']>;
