/**
 * Controller work shares one event loop with the API server. Reconciles whose
 * awaits resolve at once (an in-memory store, the fake runtime) chain
 * microtask after microtask, and the loop never gets to read a socket: a
 * `kubectl get` would wait for the whole churn. Every worker calls
 * `turnIfDue()` between two keys: once the current slice of work has run for
 * SLICE_MS, all of them wait for one turn of the event loop (I/O first, then
 * setImmediate), so requests are read between slices. While the API server
 * answers a request (api/request-priority.ts), the workers wait until it is
 * answered: requests have strict priority over controller work.
 */
import { requestsInFlight } from '../api/request-priority';

const SLICE_MS = 2;

let sliceStart = performance.now();
let turn: Promise<void> | undefined;

/** A promise to await when the slice is used up or a request is being answered (one shared turn for every caller), else undefined. */
export function turnIfDue(): Promise<void> | undefined {
  if (turn) return turn;
  if (requestsInFlight() === undefined && performance.now() - sliceStart < SLICE_MS) return undefined;
  turn = new Promise<void>((resolve) => {
    const next = (): void => {
      const busy = requestsInFlight();
      if (busy) {
        void busy.then(() => setImmediate(next));
        return;
      }
      turn = undefined;
      sliceStart = performance.now();
      resolve();
    };
    setImmediate(next);
  });
  return turn;
}
