/**
 * How far V8 lets the cluster process's old generation grow past its live data before the next full
 * collection, when `KW_HEAP_GROWING_PERCENT` asks for a fixed factor (1 + N/100). Off by default:
 * V8's own factor (up to 4x for a heap that allocates fast, as the store does under churn) let the RSS
 * reach 262-342 MiB at 10,000 pods for about 160 MB of live heap; 1.3x and 1.5x kept it at 239-282
 * MiB, but the extra full collections made read latency's p99 worse under load in 8 runs of 8
 * (docs/BENCHMARKS.md, control plane), and API latency comes first. The flag is read each time V8
 * sizes the heap, so it can be set from inside, unlike the young generation's size; one given on the
 * command line or in NODE_OPTIONS wins.
 */
import { setFlagsFromString } from 'node:v8';

/** Sets `--heap-growing-percent` from `percent` (a whole number, 1 to 1000) unless the command line or NODE_OPTIONS names it. Answers whether it did. */
export function limitHeapGrowth(
  percent = process.env.KW_HEAP_GROWING_PERCENT,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  set: (flags: string) => void = setFlagsFromString,
): boolean {
  if (percent === undefined || !/^[1-9][0-9]{0,3}$/.test(percent) || Number(percent) > 1000) return false;
  const named = (text: string) => /--heap[-_]growing[-_]percent/.test(text);
  if (execArgv.some(named) || named(nodeOptions)) return false;
  set(`--heap-growing-percent=${percent}`);
  return true;
}
