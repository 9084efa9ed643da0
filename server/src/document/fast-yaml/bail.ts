/**
 * Thrown (never returned) when the fast parser meets anything outside the
 * subset it reproduces exactly; `fastParseDocuments` catches it and returns
 * `undefined` so the caller falls back to the `yaml` package.
 */
export class Bail extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Stops the fast path. `reason` only helps when debugging bail-out rates. */
export function bail(reason: string): never {
  throw new Bail(reason);
}
