/**
 * A named port-forward that lasts: it holds its chosen local port on 127.0.0.1, sends every
 * connection to the pod its target resolves to at that moment (forward-target.ts), and looks
 * again every few seconds (and at once when a connection fails), so its state says what is true
 * now: active (and to which pod), or waiting, and why (the local port is taken, no ready pod, no
 * cluster). While waiting it keeps trying; it recovers by itself when that changes. No `vscode`.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { errorText } from '../kube/cluster-error.js';
import { resolveTarget, targetText, type TargetRef } from './forward-target.js';
import { PortForwardListener } from './port-forward-listener.js';

export interface ForwardSpec {
  /** The user's name for it, unique among the forwards. */
  name: string;
  target: TargetRef;
  /** The local port on 127.0.0.1 (1 to 65535: a lasting forward keeps its port). */
  localPort: number;
}

export type ForwardState =
  | { state: 'starting' }
  | { state: 'active'; pod: string }
  | { state: 'waiting'; reason: string }
  | { state: 'stopped' };

export interface LastingForwardOptions {
  /** The current cluster connection (it may change: a restarted cluster). */
  connection: () => Promise<ClusterConnection>;
  /** Called when the state changes. */
  onChange?: (forward: LastingForward) => void;
  log?: (message: string) => void;
  /** How often it looks again (ms); default 2000. */
  retryMs?: number;
}

/** The state as one line: `active → pod web-7d9f`, `waiting: local port 8080 is taken`. */
export function stateText(s: ForwardState): string {
  switch (s.state) {
    case 'active':
      return `active → pod ${s.pod}`;
    case 'waiting':
      return `waiting: ${s.reason}`;
    default:
      return s.state;
  }
}

export class LastingForward {
  private current: ForwardState = { state: 'stopped' };
  private listener: { conn: ClusterConnection; listener: PortForwardListener } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;

  constructor(
    readonly spec: ForwardSpec,
    private readonly o: LastingForwardOptions,
  ) {}

  get state(): ForwardState {
    return this.current;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.localPort}`;
  }

  /** Whether it was started (and not stopped): it keeps trying while waiting. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts (or keeps) it running; resolves after its first look. */
  start(): Promise<void> {
    if (this.running) return this.ticking ?? Promise.resolve();
    this.running = true;
    this.set({ state: 'starting' });
    return this.lookNow();
  }

  /** Looks again now (a connection failed, the cluster changed). */
  lookNow(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking ??= this.look().finally(() => {
      this.ticking = undefined;
      if (this.running) this.timer = setTimeout(() => void this.lookNow(), this.o.retryMs ?? 2000);
    });
    return this.ticking;
  }

  /** Stops listening; the spec stays (it can start again). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.closeListener();
    this.set({ state: 'stopped' });
  }

  private async look(): Promise<void> {
    let conn: ClusterConnection;
    try {
      conn = await this.o.connection();
    } catch (error) {
      return this.set({ state: 'waiting', reason: `no cluster: ${errorText(error)}` });
    }
    if (!this.running) return;
    if (this.listener && this.listener.conn !== conn) await this.closeListener();
    if (!this.listener) {
      try {
        const listener = await PortForwardListener.listen(conn, {
          localPort: this.spec.localPort,
          target: () => this.o.connection().then((c) => resolveTarget(c, this.spec.target)),
          onError: (error) => {
            this.o.log?.(`port-forward ${this.spec.name}: ${error.message}`);
            void this.lookNow();
          },
        });
        if (!this.running) return void (await listener.close());
        this.listener = { conn, listener };
      } catch (error) {
        const code = (error as { code?: string }).code;
        const reason =
          code === 'EADDRINUSE'
            ? `local port ${this.spec.localPort} is taken by another program`
            : code === 'EACCES'
              ? `local port ${this.spec.localPort} may not be used by this user`
              : `cannot listen on local port ${this.spec.localPort}: ${errorText(error)}`;
        return this.set({ state: 'waiting', reason });
      }
    }
    try {
      const t = await resolveTarget(conn, this.spec.target);
      this.set({ state: 'active', pod: t.pod });
    } catch (error) {
      this.set({ state: 'waiting', reason: errorText(error) });
    }
  }

  private async closeListener(): Promise<void> {
    const l = this.listener;
    this.listener = undefined;
    await l?.listener.close();
  }

  private set(next: ForwardState): void {
    if (!this.running && next.state !== 'stopped') return;
    if (stateText(next) === stateText(this.current)) return;
    this.current = next;
    this.o.log?.(`port-forward ${this.spec.name} (${this.url} → ${targetText(this.spec.target)}): ${stateText(next)}`);
    this.o.onChange?.(this);
  }
}
