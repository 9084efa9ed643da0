/**
 * Reads the engine's `/containers/ID/stats` answer (untrusted JSON) into the
 * counters the metrics pipeline needs: cumulative CPU time and the memory
 * working set, computed as cAdvisor does (usage minus inactive file pages:
 * `total_inactive_file` on cgroup v1, `inactive_file` on v2, never below 0).
 */

export interface EngineStats {
  /** When the engine read the counters (ms since the epoch). */
  timestamp: number;
  cpuUsageNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The counters of one stats answer; undefined when it has no CPU counter or read time (a stopped container). */
export function engineStats(raw: unknown): EngineStats | undefined {
  const cpu = count(field(raw, 'cpu_stats', 'cpu_usage', 'total_usage'));
  const read = field(raw, 'read');
  const timestamp = typeof read === 'string' ? Date.parse(read) : NaN;
  if (cpu === undefined || !Number.isFinite(timestamp) || timestamp <= 0) return undefined;
  const usage = count(field(raw, 'memory_stats', 'usage')) ?? 0;
  const inactive =
    count(field(raw, 'memory_stats', 'stats', 'total_inactive_file')) ??
    count(field(raw, 'memory_stats', 'stats', 'inactive_file')) ??
    0;
  return { timestamp, cpuUsageNanoSeconds: cpu, memoryWorkingSetBytes: Math.max(0, usage - inactive) };
}
