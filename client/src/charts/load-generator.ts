/**
 * A bounded HTTP load generator for watching an autoscaler react: a number
 * of concurrent clients, an optional overall rate, a duration after which it
 * stops by itself, and loopback targets only (the embedded cluster's
 * NodePorts and Ingress, or a port-forward), so it can never be pointed at
 * someone else's server. No `vscode` here.
 */
import { Agent, request } from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface LoadOptions {
  /** http:// URL on a loopback address. */
  url: string;
  /** Sent as the Host header (an Ingress rule's host). */
  host?: string;
  concurrency: number;
  /** Requests per second over all clients; 0 for as fast as the clients go. */
  ratePerSecond: number;
  durationSeconds: number;
  signal?: AbortSignal;
  onProgress?: (stats: LoadStats) => void;
}

export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  inFlight: number;
  elapsedSeconds: number;
  /** Answers by HTTP status, and `error` for requests that got none. */
  statuses: Record<string, number>;
  p50Ms: number | null;
  p95Ms: number | null;
}

export const LIMITS = { concurrency: 200, ratePerSecond: 5000, durationSeconds: 600 } as const;

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

/** Throws with what is wrong unless every value is inside its bounds and the URL is http on loopback. */
export async function checkLoadOptions(options: LoadOptions): Promise<URL> {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${value}`);
  };
  whole('concurrency', options.concurrency, 1, LIMITS.concurrency);
  whole('rate', options.ratePerSecond, 0, LIMITS.ratePerSecond);
  whole('duration', options.durationSeconds, 1, LIMITS.durationSeconds);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`'${options.url}' is not a URL`);
  }
  if (url.protocol !== 'http:') throw new Error(`load goes over http:// only, not ${url.protocol}`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((a) => a.address);
  if (addresses.length === 0 || !addresses.every(isLoopback))
    throw new Error(`load goes to loopback addresses only (127.0.0.1, ::1); ${url.hostname} is not one`);
  return url;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
}

export async function sendLoad(options: LoadOptions): Promise<LoadStats> {
  const url = await checkLoadOptions(options);
  const started = Date.now();
  const end = started + options.durationSeconds * 1000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const stats: LoadStats = {
    sent: 0,
    ok: 0,
    failed: 0,
    inFlight: 0,
    elapsedSeconds: 0,
    statuses: {},
    p50Ms: null,
    p95Ms: null,
  };
  const spacing = options.ratePerSecond > 0 ? 1000 / options.ratePerSecond : 0;
  let nextSlot = started;
  const stopped = () => options.signal?.aborted === true || Date.now() >= end;

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = Date.now();
      stats.sent++;
      stats.inFlight++;
      const finish = (status: string) => {
        stats.inFlight--;
        stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        if (status.startsWith('2') || status.startsWith('3')) stats.ok++;
        else stats.failed++;
        latencies.push(Date.now() - t0);
        resolve();
      };
      const headers: Record<string, string> = {};
      if (options.host) headers.Host = options.host;
      // As lenient as nginx about what servers send back (CGI scripts end header lines with a bare LF).
      const req = request(url, { agent, headers, timeout: 30_000, insecureHTTPParser: true }, (res) => {
        res.resume();
        res.on('end', () => finish(String(res.statusCode ?? 0)));
        res.on('error', () => finish('error'));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish('error'));
      req.end();
    });

  const client = async () => {
    while (!stopped()) {
      if (spacing > 0) {
        const slot = nextSlot;
        nextSlot = Math.max(nextSlot + spacing, Date.now());
        const wait = slot - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (stopped()) break;
      }
      await one();
    }
  };

  const progress = setInterval(() => {
    stats.elapsedSeconds = (Date.now() - started) / 1000;
    options.onProgress?.({ ...stats, statuses: { ...stats.statuses } });
  }, 1000);
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client));
  } finally {
    clearInterval(progress);
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  stats.elapsedSeconds = (Date.now() - started) / 1000;
  stats.p50Ms = percentile(latencies, 50);
  stats.p95Ms = percentile(latencies, 95);
  return stats;
}
