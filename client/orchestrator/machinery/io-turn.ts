/**
 * Controller work shares one event loop with the API server. Reconciles whose
 * awaits resolve at once (an in-memory store, the fake runtime) chain
 * microtask after microtask, and the loop never gets to read a socket: a
 * `kubectl get` would wait for the whole churn. Every worker calls
 * `turnIfDue()` between two keys: once the current slice of work has run for
 * SLICE_MS, all of them wait for one turn of the event loop (I/O first, then
 * setImmediate), so requests are read between slices. While the API server
 * answers a request (api/request-priority.ts), the workers wait until it is
 * answered (at most MAX_WAIT_MS in a row, so a stream of overlapping requests
 * cannot starve them): requests go before controller work.
 */
import { requestsInFlight } from '../api/request-priority';

const SLICE_MS = 2;
/** The longest the workers wait in a row for requests to be answered. */
const MAX_WAIT_MS = 50;

let sliceStart = performance.now();
let turn: Promise<void> | undefined;

/** A promise to await when the slice is used up or a request is being answered (one shared turn for every caller), else undefined. */
export function turnIfDue(): Promise<void> | undefined {
  if (turn) return turn;
  if (requestsInFlight() === undefined && performance.now() - sliceStart < SLICE_MS) return undefined;
  const waitingSince = performance.now();
  turn = new Promise<void>((resolve) => {
    const next = (): void => {
      // Requests that overlap without end (many clients at once) must not starve the controllers:
      // after MAX_WAIT_MS of waiting the workers take a slice anyway, then wait again.
      const busy = performance.now() - waitingSince < MAX_WAIT_MS ? requestsInFlight() : undefined;
      if (busy) {
        const again = setTimeout(next, MAX_WAIT_MS);
        void busy.then(() => {
          clearTimeout(again);
          setImmediate(next);
        });
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
