/**
 * Carries the early API (api/early-api-server.ts) from the bin script, which got
 * it from the small start bundle, to `cluster start` in this bundle: main.ts puts
 * it here, the start command takes it (once).
 */
import type { EarlyApi } from '../api/early-api-server';

let waiting: EarlyApi | undefined;

export function giveEarlyApi(early: EarlyApi | undefined): void {
  waiting = early;
}

export function takeEarlyApi(): EarlyApi | undefined {
  const early = waiting;
  waiting = undefined;
  return early;
}
