/**
 * Runs a pod's startup, liveness and readiness probes on the injected clock,
 * through the runtime: initialDelaySeconds, then every periodSeconds;
 * successThreshold/failureThreshold decide the result. Startup gates the
 * other two; a failed startup or liveness probe asks the kubelet to restart
 * the container. Every change of result resyncs the pod. A probe the runtime
 * could not run because it is unreachable has no result: it counts neither way.
 */
import type { Clock } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import { RuntimeUnavailableError, type ContainerRuntime, type ProbeKind, type ProbeResult } from './runtime';

interface ProbeWorker {
  kind: ProbeKind;
  probe: JsonObject;
  successes: number;
  failures: number;
  timer?: object;
}

interface ContainerProbes {
  containerId: string;
  workers: ProbeWorker[];
  started: boolean;
  ready: boolean;
  /** Set when startup or liveness failed: why the container must be restarted. */
  kill?: string;
  lastFailure?: string;
}

/**
 * A probe's integer field, or its default when missing, not a whole number or
 * below `min` (an object stored before admission checked integers): a period
 * of 0.001 s or -1 must not spin the probe loop.
 */
const num = (v: unknown, d: number, min = 1) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : d);

/** Timers take at most 2^31-1 ms; a longer delay would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** The probe kinds in the order their workers are made, each with its field in the container's spec. */
const KINDS: readonly (readonly [ProbeKind, string])[] = [
  ['startup', 'startupProbe'],
  ['liveness', 'livenessProbe'],
  ['readiness', 'readinessProbe'],
];

export class ProbeManager {
  /**
   * Each pod's containers by name: looked up on every sync of the pod (no key made per lookup), and a pod's
   * containers forgotten together (not by a scan of every pod's).
   */
  private readonly pods = new Map<string, Map<string, ContainerProbes>>();

  constructor(
    private readonly clock: Clock,
    private readonly runtime: ContainerRuntime,
    private readonly onChange: (
      podKey: string,
      event?: { kind: ProbeKind; container: string; message: string },
    ) => void,
  ) {}

  /** Starts probing a running container (no-op if already probing this container instance). */
  ensure(podKey: string, podIp: string, name: string, containerId: string, spec: Readonly<JsonObject>): void {
    let containers = this.pods.get(podKey);
    const current = containers?.get(name);
    if (current?.containerId === containerId) return;
    if (current) this.stopWorkers(current);
    const workers: ProbeWorker[] = [];
    for (const [kind, field] of KINDS) {
      const probe = spec[field];
      if (isObject(probe)) workers.push({ kind, probe, successes: 0, failures: 0 });
    }
    const state: ContainerProbes = {
      containerId,
      workers,
      started: !workers.some((w) => w.kind === 'startup'),
      ready: !workers.some((w) => w.kind === 'readiness'),
    };
    if (!containers) this.pods.set(podKey, (containers = new Map<string, ContainerProbes>()));
    containers.set(name, state);
    for (const w of workers)
      this.schedule(podKey, podIp, name, state, w, num(w.probe.initialDelaySeconds, 0, 0) * 1000);
  }

  /** Whether the container passed its startup probe (true without one). */
  started(podKey: string, name: string): boolean {
    return this.pods.get(podKey)?.get(name)?.started ?? false;
  }

  /** Whether readiness says ready (true without a readiness probe once started). */
  ready(podKey: string, name: string): boolean {
    const s = this.pods.get(podKey)?.get(name);
    return s !== undefined && s.started && s.ready;
  }

  /** Why the container must be restarted (startup or liveness failed), once. */
  takeKill(podKey: string, name: string): string | undefined {
    const s = this.pods.get(podKey)?.get(name);
    const why = s?.kill;
    if (s) delete s.kill;
    return why;
  }

  forgetContainer(podKey: string, name: string): void {
    const containers = this.pods.get(podKey);
    const s = containers?.get(name);
    if (!containers || !s) return;
    this.stopWorkers(s);
    containers.delete(name);
    if (containers.size === 0) this.pods.delete(podKey);
  }

  forgetPod(podKey: string): void {
    const containers = this.pods.get(podKey);
    if (!containers) return;
    for (const s of containers.values()) this.stopWorkers(s);
    this.pods.delete(podKey);
  }

  private stopWorkers(s: ContainerProbes): void {
    for (const w of s.workers) if (w.timer) this.clock.clearTimeout(w.timer);
    s.workers = [];
  }

  private schedule(podKey: string, podIp: string, name: string, s: ContainerProbes, w: ProbeWorker, ms: number): void {
    ms = Math.min(ms, MAX_DELAY_MS);
    w.timer = this.clock.setTimeout(() => {
      void this.tick(podKey, podIp, name, s, w);
    }, ms);
  }

  private async tick(podKey: string, podIp: string, name: string, s: ContainerProbes, w: ProbeWorker): Promise<void> {
    if (!s.workers.includes(w)) return;
    const period = num(w.probe.periodSeconds, 10) * 1000;
    if (w.kind !== 'startup' && !s.started) {
      this.schedule(podKey, podIp, name, s, w, period);
      return;
    }
    let result: ProbeResult;
    try {
      result = await this.runtime.probe(s.containerId, w.kind, w.probe, podIp);
    } catch (e) {
      if (e instanceof RuntimeUnavailableError) {
        if (s.workers.includes(w)) this.schedule(podKey, podIp, name, s, w, period);
        return;
      }
      result = { success: false, message: e instanceof Error ? e.message : 'probe error' };
    }
    if (!s.workers.includes(w)) return;
    if (result.success) {
      w.successes++;
      w.failures = 0;
    } else {
      w.failures++;
      w.successes = 0;
    }
    const failedEnough = w.failures >= num(w.probe.failureThreshold, 3);
    const message = result.message ?? `${w.kind} probe failed`;
    if (!result.success) this.onChange(podKey, { kind: w.kind, container: name, message });
    if (w.kind === 'startup') {
      if (result.success) {
        s.started = true;
        s.workers = s.workers.filter((x) => x !== w);
        this.onChange(podKey);
        return;
      }
      if (failedEnough) {
        s.kill = `Container ${name} failed startup probe, will be restarted`;
        this.onChange(podKey);
      }
    } else if (w.kind === 'liveness') {
      if (failedEnough) {
        s.kill = `Container ${name} failed liveness probe, will be restarted`;
        w.failures = 0;
        this.onChange(podKey);
      }
    } else {
      const ready = result.success
        ? w.successes >= num(w.probe.successThreshold, 1)
          ? true
          : s.ready
        : failedEnough
          ? false
          : s.ready;
      if (ready !== s.ready) {
        s.ready = ready;
        this.onChange(podKey);
      }
    }
    this.schedule(podKey, podIp, name, s, w, period);
  }
}
