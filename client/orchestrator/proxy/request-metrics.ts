/**
 * Request counts of the data paths that run in the orchestrator (the Ingress
 * entry and the NodePort listeners): for each pod, Service and Ingress, the
 * requests in flight now and the requests started per second over the last
 * `windowMs` (10 s by default), served by custom.metrics.k8s.io and read by
 * the HPA. The Ingress counts HTTP requests (an upgraded connection is one
 * request while it lasts); NodePorts carry any TCP, so they count connections.
 */
import type { CountedObject, RequestMetricsSource, RequestRates } from '../api/metrics/metrics-source';

export const DEFAULT_RATE_WINDOW_MS = 10_000;

export interface CountedTarget {
  kind: CountedObject;
  namespace: string;
  name: string;
}

interface Counter {
  inFlight: number;
  /** Starts per whole second (ms / 1000), the last `window` seconds. */
  buckets: Map<number, number>;
  lastSeen: number;
}

const key = (t: CountedTarget) => `${t.kind}\u0000${t.namespace}\u0000${t.name}`;

export class RequestMetrics implements RequestMetricsSource {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = DEFAULT_RATE_WINDOW_MS,
  ) {}

  /** Counts a request to each target; call the returned function (once or more) when it ends. */
  begin(targets: readonly CountedTarget[]): () => void {
    const now = this.now();
    const second = Math.floor(now / 1000);
    const counters = targets.map((t) => {
      let c = this.counters.get(key(t));
      if (!c) {
        c = { inFlight: 0, buckets: new Map(), lastSeen: now };
        this.counters.set(key(t), c);
      }
      c.inFlight++;
      c.lastSeen = now;
      c.buckets.set(second, (c.buckets.get(second) ?? 0) + 1);
      this.prune(c, second);
      return c;
    });
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const c of counters) c.inFlight--;
    };
  }

  rates(kind: CountedObject, namespace: string, name: string): RequestRates | undefined {
    const c = this.counters.get(key({ kind, namespace, name }));
    if (!c) return undefined;
    const now = this.now();
    this.prune(c, Math.floor(now / 1000));
    let started = 0;
    for (const n of c.buckets.values()) started += n;
    return {
      inFlight: c.inFlight,
      perSecond: started / (this.windowMs / 1000),
      timestamp: now,
      windowMs: this.windowMs,
    };
  }

  private prune(c: Counter, second: number): void {
    const oldest = second - Math.ceil(this.windowMs / 1000);
    for (const s of c.buckets.keys()) if (s <= oldest) c.buckets.delete(s);
  }
}
