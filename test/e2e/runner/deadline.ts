/** One time limit for the whole e2e run; every wait is bounded by what is left of it. */
export class Deadline {
  private readonly end: number;

  constructor(readonly totalMs: number) {
    this.end = Date.now() + totalMs;
  }

  get remainingMs(): number {
    return Math.max(0, this.end - Date.now());
  }

  /** Resolves with `promise`, or rejects with a message naming `what` when the time is up first. */
  race<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(
            `e2e timed out after ${Math.round(this.totalMs / 1000)} s (the whole run's limit, KW_E2E_TIMEOUT_MS) while ${what}`,
          ),
        );
      }, this.remainingMs);
    });
    return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
  }
}
