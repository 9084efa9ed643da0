/**
 * Thrown (never returned) when the fast parser meets anything outside the
 * subset it reproduces exactly; `fastParseDocuments` catches it and returns
 * `undefined` so the caller falls back to the `yaml` package.
 */
export class Bail extends Error {
  constructor(readonly reason: string) {
    // No stack: a bail is routine (one document in six of the corpus) and capturing one cost more than the check.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
  }
}

/** Stops the fast path. `reason` only helps when debugging bail-out rates. */
export function bail(reason: string): never {
  throw new Bail(reason);
}
