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
import { EventCorrelator } from './event-correlator';
import { StatusError } from '../store/errors';
import type { ObjectStore, Stored } from '../store/object-store';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  /** Dedupe key -> the Event's name; the chain serialises writes per key. */
  private readonly seen: BoundedMap<string, SeenEvent>;
  private pending = 0;
  private readonly idle: (() => void)[] = [];
  private readonly correlator: EventCorrelator;
  /**
   * Parts many Events repeat, kept once (stored objects are frozen, so they can be shared): a
   * source's copy, the reference to one version of an object (a pod's Scheduled, Pulled, Created and
   * Started name the same version), and recent message texts (10,000 "Started container app").
   */
  private readonly sources = new WeakMap<EventSource, Readonly<EventSource>>();
  private readonly references = new WeakMap<Stored, Readonly<JsonObject>>();
  private readonly messages = new BoundedMap<string, string>(MESSAGES);

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    maxTracked = 4096,
  ) {
    this.seen = new BoundedMap(maxTracked);
    this.correlator = new EventCorrelator(maxTracked);
  }

  /** A recorder that reports as `source` (the controller's or kubelet's name). */
  for(source: EventSource): (obj: Stored, type: EventType, reason: string, message: string) => void {
    return (obj, type, reason, message) => this.record(source, obj, type, reason, message);
  }

  record(source: EventSource, obj: Stored, type: EventType, reason: string, text: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    const objectKey = `${source.component}\u0000${source.host ?? ''}\u0000${obj.kind}\u0000${namespace}\u0000${meta.name ?? ''}\u0000${meta.uid ?? ''}`;
    const observed = this.correlator.observe(objectKey, type, reason, text, this.clock.now());
    if (!observed) return;
    const { key, message } = observed;
    let entry = this.seen.get(key);
    if (!entry) {
      entry = { name: `${meta.name ?? ''}.${eventSuffix(this.clock.now())}`, chain: Promise.resolve(), stored: false };
      this.seen.set(key, entry);
    }
    const seen = entry;
    this.pending++;
    // A failed write is dropped (recording never fails the caller); either way the chain goes on.
    entry.chain = entry.chain
      .then(() => this.write(namespace, seen, source, obj, type, reason, message))
      .then(this.written, this.written);
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
    source: EventSource,
    obj: Stored,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = rfc3339(this.clock.now());
    const { name } = seen;
    const fresh = (): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: this.referenceTo(obj),
      reason,
      message: this.intern(message),
      source: this.sourceCopy(source),
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    // A name this recorder has not stored yet is created straight away (the store refuses it if
    // it exists, and it is bumped then): most Events are written once, and looking each up first
    // among tens of thousands cost more than the create's own check.
    if (!seen.stored) {
      try {
        await this.store.create(EVENTS, fresh(), { fresh: true });
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
      await this.store.update(EVENTS, next, { fresh: true });
    } else await this.store.create(EVENTS, fresh(), { fresh: true });
    seen.stored = true;
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

  /** A frozen copy of `source`, one per source (the recorder of one controller or kubelet). */
  private sourceCopy(source: EventSource): Readonly<EventSource> {
    let copy = this.sources.get(source);
    if (copy === undefined || copy.component !== source.component || copy.host !== source.host) {
      copy = Object.freeze({ ...source });
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

interface SeenEvent {
  name: string;
  chain: Promise<void>;
  /** Whether this recorder has stored the Event (then a repeat looks it up to bump its count). */
  stored: boolean;
}

/** How many distinct message texts the recorder keeps to share. */
const MESSAGES = 1024;

/** Kubernetes names events `<object>.<hex of the time in ns>`; a random tail keeps them unique here. */
function eventSuffix(now: number): string {
  return (BigInt(now) * 1_000_000n + BigInt(randomTail())).toString(16);
}

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
