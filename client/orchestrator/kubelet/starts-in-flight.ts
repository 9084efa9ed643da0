/**
 * Container creates and starts the engine is working on, so work that can
 * wait (a Service's proxy container) lets the pods that are starting go
 * first: on a machine of few cores the engine serializes much of each start.
 */
export class StartsInFlight {
  private count = 0;
  private waiting: (() => void)[] = [];

  /** Runs one create or start, counted while it is in flight. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) for (const wake of this.waiting.splice(0)) wake();
    }
  }

  get busy(): boolean {
    return this.count > 0;
  }

  /** Resolves once none is in flight (at once when none is). */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
