/**
 * Whether a node's container runtime answers, checked on the injected clock
 * every `periodMs` and at once when the kubelet asks (a call failed). Each
 * check is reported, with whether it changed from the one before, so the
 * kubelet can keep its Node's Ready condition in line and requeue its pods
 * when the runtime goes away or comes back.
 */
import type { Clock, Timer } from '../clock';
import type { ContainerRuntime, RuntimeStatus } from './runtime';
import { withTimeout } from './with-timeout';

export interface RuntimeHealthOptions {
  clock: Clock;
  runtime: ContainerRuntime;
  /** Between two checks (default 2000 ms). */
  periodMs?: number;
  /** A check without an answer by then counts as "down" (default 10 s). */
  timeoutMs?: number;
  onCheck(status: RuntimeStatus, changed: boolean): void;
}

export class RuntimeHealth {
  private current: RuntimeStatus = { ready: true };
  private checking: Promise<RuntimeStatus> | undefined;
  private timer: Timer | undefined;
  private stopped = true;

  constructor(private readonly o: RuntimeHealthOptions) {}

  /** The last check's result (ready until a check says otherwise). */
  get status(): RuntimeStatus {
    return this.current;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Asks the runtime now (joining a check already under way). */
  check(): Promise<RuntimeStatus> {
    this.checking ??= (async () => {
      const timeout = this.o.timeoutMs ?? 10_000;
      const next = await withTimeout(this.o.runtime.status(), timeout, this.o.clock).catch(
        (error: unknown): RuntimeStatus => ({
          ready: false,
          message: `the container runtime did not answer its status check (${error instanceof Error ? error.message : String(error)})`,
        }),
      );
      const changed = next.ready !== this.current.ready || next.message !== this.current.message;
      this.current = next;
      if (!this.stopped) this.o.onCheck(next, changed);
      return next;
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      void this.check().finally(() => this.schedule());
    }, this.o.periodMs ?? 2000);
  }
}
