/**
 * Writes core/v1 Events about objects, as client-go's recorder does: the
 * correlator drops spam and folds many similar events into one; a repeat of
 * the same Event bumps `count`, `lastTimestamp` (and the message of a
 * combined one) instead of making a new one. Recording never blocks or
 * fails the caller: the Event waits in a sink (event-sink.ts) that writes it
 * once the store has no other write in flight, with the times of its recording.
 */
import { randomFillSync } from 'node:crypto';
import { rfc3339, type Clock } from '../clock';
import { EVENTS } from './informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import { BoundedMap } from './bounded-map';
import { EventSubject } from './event-correlator';
import { EventSink } from './event-sink';
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
  private readonly sink: EventSink<RecordedEvent>;
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
    this.sink = new EventSink(store, (e) => this.write(e));
  }

  /** A recorder that reports as `source` (the controller's or kubelet's name). */
  for(source: EventSource): (obj: Stored, type: EventType, reason: string, message: string) => void {
    return (obj, type, reason, message) => this.record(source, obj, type, reason, message);
  }

  record(source: EventSource, obj: Stored, type: EventType, reason: string, text: string): void {
    // The object named as it is now (a version, not the object: a waiting Event keeps no pod alive), and
    // the time: the correlator and the write run later, in the sink, on what was recorded.
    this.sink.push({
      source: this.sourceCopy(source),
      involved: this.referenceTo(obj),
      namespace: obj.metadata.namespace || 'default',
      type,
      reason,
      text,
      at: this.clock.now(),
    });
  }

  /** The correlator's subject for the object `involved` names as `source` reports it. */
  private subjectOf(
    source: SourceCopy,
    involved: Readonly<JsonObject>,
    namespace: string,
    at: number,
  ): EventSubject<SeenEvent> {
    const kind = typeof involved.kind === 'string' ? involved.kind : '';
    const name = typeof involved.name === 'string' ? involved.name : '';
    const uid = typeof involved.uid === 'string' ? involved.uid : '';
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
    if (!subject) subjects.bySource.set(source.key, (subject = new EventSubject(at)));
    return subject;
  }

  /** Resolves when every recorded event has been written (for tests and shutdown). */
  flush(): Promise<void> {
    return this.sink.flush();
  }

  /**
   * Runs the correlator on a recorded Event (at its time) and writes it, or the repeat of one. Synchronous up
   * to the store's commit, so the sink's Events commit in the order they were recorded and a repeat finds the
   * Event it repeats.
   */
  private write(e: RecordedEvent): Promise<void> {
    const { namespace, at } = e;
    const observed = this.subjectOf(e.source, e.involved, namespace, at).observe(e.type, e.reason, e.text, at, () => ({
      name: `${e.involved.name as string}.${eventSuffix(at)}`,
      stored: false,
    }));
    // Dropped by the spam filter.
    if (!observed) return DONE;
    return this.writeObserved(e, observed.entry, observed.message);
  }

  /** Writes an Event the correlator let through: `seen` is the Event it is or repeats, `message` its text. */
  private async writeObserved(e: RecordedEvent, seen: SeenEvent, message: string): Promise<void> {
    const { namespace } = e;
    const { name } = seen;
    const now = rfc3339(e.at);
    // A name this recorder has not stored yet is created straight away (the store refuses it if
    // it exists, and it is bumped then): most Events are written once, and looking each up first
    // among tens of thousands cost more than the create's own check.
    if (!seen.stored) {
      const created = this.store.create(EVENTS, this.fresh(e, seen.name, message, now), FRESH);
      // In the store from here on: a repeat written before this one is durable bumps it (a failed log takes both back).
      seen.stored = true;
      try {
        await created;
        return;
      } catch (error) {
        seen.stored = false;
        if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
      }
    }
    const existing = this.store.get(EVENTS, namespace, name);
    let written: Promise<unknown>;
    if (existing) {
      const next = clone(existing) as KubeObject;
      next.count = (typeof existing.count === 'number' ? existing.count : 1) + 1;
      next.lastTimestamp = now;
      next.message = message;
      written = this.store.update(EVENTS, next, FRESH);
    } else written = this.store.create(EVENTS, this.fresh(e, seen.name, message, now), FRESH);
    seen.stored = true;
    await written;
  }

  /** A new Event, to be created. */
  private fresh(e: RecordedEvent, name: string, message: string, now: string): KubeObject {
    const source = e.source.source;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      // The store's create sets the last four (and its commit the resourceVersion), in this order: declared
      // here, the stored metadata holds them in the object itself rather than in a store of added properties.
      metadata: {
        name,
        namespace: e.namespace,
        uid: '',
        creationTimestamp: '',
        generation: 0,
        resourceVersion: '',
      },
      involvedObject: e.involved,
      reason: e.reason,
      message: this.intern(message),
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: e.type,
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
  /** Whether this recorder has stored the Event (then a repeat looks it up to bump its count). */
  stored: boolean;
}

/** An Event recorded, waiting in the sink for the correlator and its write. */
interface RecordedEvent {
  source: SourceCopy;
  /** The object's reference as it was recorded. */
  involved: Readonly<JsonObject>;
  namespace: string;
  type: EventType;
  reason: string;
  text: string;
  /** When it was recorded (ms): the correlator's time, and the Event's first (or, for a repeat, last) timestamp. */
  at: number;
}

/** The write of an Event the spam filter dropped. */
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
