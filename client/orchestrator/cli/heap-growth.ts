/**
 * How far V8 lets the cluster process's old generation grow past its live data before the next
 * full collection. V8's own factor (up to 4x for a heap that allocates fast, as the store does
 * under churn) let the RSS reach 300-340 MiB at 10,000 pods for about 160 MB of live heap; a fixed
 * 1.5x kept it at 263-290 MiB. 1.3x held it lower (239-282 MiB) but cost about 6 points of CPU in
 * full collections and made read latency's p99 worse under load (docs/BENCHMARKS.md, control plane).
 * The flag is read each time V8 sizes the heap, so it can be set from inside, unlike the young
 * generation's size; one given on the command line or in NODE_OPTIONS wins (0: V8's own factor).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Sets `--heap-growing-percent` for this process unless its command line or NODE_OPTIONS names it. Answers whether it did. */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  set: (flags: string) => void = setFlagsFromString,
): boolean {
  const named = (text: string) => /--heap[-_]growing[-_]percent/.test(text);
  if (execArgv.some(named) || named(nodeOptions)) return false;
  set(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
