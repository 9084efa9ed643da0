/**
 * Kubernetes' container restart back-off: the first restart is immediate,
 * then 10 s, doubling up to 5 minutes; a container that ran for 10 minutes
 * before it exited starts over at the beginning.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
export const RESET_AFTER_MS = 600_000;

export class RestartBackoff {
  private delayMs = 0;
  private lastRestart = -Infinity;

  /** Milliseconds still to wait before the next restart (0: restart now). */
  remaining(now: number, ranFor: number): number {
    if (ranFor >= RESET_AFTER_MS) this.delayMs = 0;
    return Math.max(0, this.lastRestart + this.delayMs - now);
  }

  /** The current step, for messages (`back-off 20s restarting failed container`). */
  get currentMs(): number {
    return this.delayMs;
  }

  /** Records a restart now and lengthens the next wait. */
  restarted(now: number): void {
    this.lastRestart = now;
    this.delayMs = this.delayMs === 0 ? INITIAL_BACKOFF_MS : Math.min(this.delayMs * 2, MAX_BACKOFF_MS);
  }
}
