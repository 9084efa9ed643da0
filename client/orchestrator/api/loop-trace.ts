/**
 * A diagnostic trace of what keeps the event loop from reading requests, on only when
 * KW_LOOP_TRACE names a file: every request's time in its handler, the loop's delay
 * (`monitorEventLoopDelay`), each stretch longer than 50 ms in which a 10 ms timer
 * could not run (or 25 ms of which 20 on this thread's CPU), with the time this thread ran
 * and waited for a CPU in it (a machine busy with other work stretches it without running
 * us), the controller work (by worker name) done during it, and every
 * collection pause of 5 ms or more. Times are on the wall clock (ms since the epoch, `at`
 * where a stretch ended) so a client's slow answers can be placed against them, and
 * `monoUs` pairs it with the monotonic clock a CPU profile counts in. Written as JSON to
 * the file when the process exits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.KW_LOOP_TRACE;

interface Stretch {
  at: number;
  ms: number;
  /** Of `ms`, the time this thread ran on a CPU, and waited for one (runnable, the machine busy). */
  cpuMs?: number;
  waitMs?: number;
  work: Record<string, number>;
}

interface Pause {
  at: number;
  ms: number;
  /** V8's kind: 1 scavenge, 2 mark-compact (4 in perf_hooks' numbering), 8 incremental marking, 16 weak callbacks. */
  kind: number;
}

const work = new Map<string, number>();
const stretches: Stretch[] = [];
const pauses: Pause[] = [];
const handlerMs: number[] = [];
let lastTick = performance.now();
const epoch = (t: number): number => Math.round(performance.timeOrigin + t);
/** This thread's time on a CPU and waiting in a run queue so far, in ms (Linux's schedstat), or undefined elsewhere. */
function schedMs(): [number, number] | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return [Number(run) / 1e6, Number(wait) / 1e6];
  } catch {
    return undefined;
  }
}
let lastSched = file ? schedMs() : undefined;

const delay = file ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
if (file) {
  delay!.enable();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      traceWork('gc', entry.duration);
      if (entry.duration >= 5) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
        pauses.push({ at: epoch(entry.startTime), ms: Math.round(entry.duration * 10) / 10, kind });
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const clockPair = {
    epochMs: performance.timeOrigin + performance.now(),
    monoUs: String(process.hrtime.bigint() / 1000n),
  };
  setInterval(() => {
    const now = performance.now();
    const gap = now - lastTick;
    const sched = lastSched && schedMs();
    const cpuMs = sched ? sched[0] - lastSched![0] : undefined;
    const waitMs = sched ? sched[1] - lastSched![1] : undefined;
    lastSched = sched;
    // A stretch: held past 50 ms, or past 25 ms of which 20 on this thread's CPU.
    if (gap > 50 || (gap > 25 && (cpuMs ?? 0) > 20))
      stretches.push({
        at: epoch(now),
        ms: Math.round(gap),
        ...(cpuMs !== undefined ? { cpuMs: Math.round(cpuMs), waitMs: Math.round(waitMs!) } : {}),
        work: Object.fromEntries(work),
      });
    work.clear();
    lastTick = now;
  }, 10).unref();
  process.on('exit', () => {
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
    };
    const longest = [...stretches].sort((a, b) => b.ms - a.ms).slice(0, 40);
    const total = new Map<string, number>();
    for (const s of stretches) for (const [k, v] of Object.entries(s.work)) total.set(k, (total.get(k) ?? 0) + v);
    writeFileSync(
      file,
      JSON.stringify(
        {
          clockPair,
          requests: handlerMs.length,
          handlerMs: {
            p50: pct(handlerMs, 50),
            p90: pct(handlerMs, 90),
            p99: pct(handlerMs, 99),
            max: pct(handlerMs, 100),
          },
          loopDelayMs: {
            p50: delay!.percentile(50) / 1e6,
            p90: delay!.percentile(90) / 1e6,
            p99: delay!.percentile(99) / 1e6,
            max: delay!.max / 1e6,
          },
          stretchesOver50ms: stretches.filter((s) => s.ms > 50).length,
          stretchMsTotal: stretches.reduce((n, s) => n + (s.ms > 50 ? s.ms : 0), 0),
          workInStretches: Object.fromEntries(
            [...total].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]),
          ),
          longest,
          stretches,
          pauses,
        },
        null,
        1,
      ),
    );
  });
}

export const tracing = file !== undefined;

/** Adds `ms` of work by `name` to the current stretch. */
export function traceWork(name: string, ms: number): void {
  const kind = name.split(' ')[0]!;
  work.set(kind, (work.get(kind) ?? 0) + ms);
}

/** A request's time from its handler's start to the end of its response. */
export function traceRequest(ms: number): void {
  handlerMs.push(ms);
}
