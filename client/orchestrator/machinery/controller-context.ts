/** What every controller is built from: the store, the API write path, shared informers, time and the event recorder. */
import { AdmittedWriter } from '../api/admitted-writer';
import type { ApiContext } from '../api/api-context';
import type { Clock } from '../clock';
import type { InformerFactory } from './informer-factory';
import type { OwnerReference } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import type { EventRecorder } from './event-recorder';

export interface ControllerContext {
  store: ObjectStore;
  /** Writes go through admission (defaults, validation, managedFields) as they would over HTTP. */
  api: ApiContext;
  informers: InformerFactory;
  clock: Clock;
  events: EventRecorder;
}

/** The writer a controller uses, recording `manager` in managedFields. */
export function writerFor(ctx: ControllerContext, manager: string): AdmittedWriter {
  return new AdmittedWriter(ctx.api, manager);
}

export function controllerRef(obj: Stored): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The owner reference a controller puts on what it creates. */
export function ownerReferenceTo(owner: Stored): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Runs `fn` over `count` items in batches of 1, 2, 4...; stops after a batch with a failure. Returns how many succeeded.
 * `count` is taken as a whole number (a fraction or NaN from a bad object must not spin: a batch of 0.5 items
 * is none, and the loop would await settled promises forever, starving timers, I/O and signals); each batch
 * ends with a turn of the event loop, so a long run never holds off a request or SIGTERM.
 */
export async function slowStartBatch(
  count: number,
  fn: () => Promise<unknown>,
  initial = 1,
): Promise<{ done: number; error?: unknown }> {
  const total = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  let done = 0;
  let batch = Math.min(total, Math.max(1, Math.floor(initial)));
  while (batch >= 1) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    done += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { done, error: failed.reason };
    batch = Math.min(2 * batch, total - done);
    if (batch >= 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { done };
}

/** An integer field's value, or `fallback` when it is missing or not a whole number (counts, seconds, limits). */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : fallback;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(JSON.stringify(error));
}
