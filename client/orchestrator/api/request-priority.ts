/**
 * Requests go before controller work. The API server counts the requests it is answering
 * (`requestStarted`, not watches or followed logs: those stay open); controller, scheduler
 * and kubelet workers, between two keys, wait while any is in flight (`requestsInFlight`,
 * through machinery/io-turn.ts). So a `kubectl get` that arrives during the churn is
 * answered with the loop to itself instead of sharing it with every worker. One request
 * holds the workers back for at most HOLD_MS, so a slow client or a request that waits on
 * the controllers themselves can never stall them.
 */
const HOLD_MS = 100;

let inFlight = 0;
let idle: Promise<void> | undefined;
let wake: (() => void) | undefined;

/** Counts a request in flight; call the returned function (once or more) when it has been answered. */
export function requestStarted(): () => void {
  inFlight++;
  let released = false;
  const timer = setTimeout(release, HOLD_MS);
  timer.unref();
  function release(): void {
    if (released) return;
    released = true;
    clearTimeout(timer);
    if (--inFlight === 0 && wake) {
      const w = wake;
      idle = wake = undefined;
      w();
    }
  }
  return release;
}

/** A promise that resolves once no request is in flight, or undefined when none is. */
export function requestsInFlight(): Promise<void> | undefined {
  if (inFlight === 0) return undefined;
  idle ??= new Promise<void>((resolve) => (wake = resolve));
  return idle;
}

/** True for requests that stay open (watches, followed logs): they do not hold the workers back. */
export function staysOpen(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (/^\/(?:api\/[^/]+|apis\/[^/]+\/[^/]+)\/watch\//.test(path)) return true;
  return q >= 0 && /(?:^|&)(?:watch|follow)=(?:true|1|True|TRUE|t|T)(?:&|$)/.test(url.slice(q + 1));
}
