/**
 * A diagnostic trace of what keeps the event loop from reading requests, on only when
 * KW_LOOP_TRACE names a file: every request's time in its handler, the loop's delay
 * (`monitorEventLoopDelay`), and each stretch longer than 50 ms in which a 10 ms timer
 * could not run, with the controller work (by worker name) done during it. Written as
 * JSON to the file when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.KW_LOOP_TRACE;

interface Stretch {
  at: number;
  ms: number;
  work: Record<string, number>;
}

const work = new Map<string, number>();
const stretches: Stretch[] = [];
const handlerMs: number[] = [];
let lastTick = performance.now();

const delay = file ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
if (file) {
  delay!.enable();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) traceWork('gc', entry.duration);
  }).observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  setInterval(() => {
    const now = performance.now();
    const gap = now - lastTick;
    if (gap > 50) stretches.push({ at: Math.round(now - t0), ms: Math.round(gap), work: Object.fromEntries(work) });
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
          stretchesOver50ms: stretches.length,
          stretchMsTotal: stretches.reduce((n, s) => n + s.ms, 0),
          workInStretches: Object.fromEntries(
            [...total].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]),
          ),
          longest,
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
