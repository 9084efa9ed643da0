/**
 * A seeded pseudo-random generator (mulberry32) for the server's generated and fuzzed tests, so a
 * failure replays from its seed. The same generator as test/support/seeded-random.ts, which the
 * server's project cannot import (its root is server/src).
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
