/**
 * The graceful terminations (and liveness kills) a kubelet has under way, one per pod key. Each
 * runs on its own, off the kubelet's work queue (as Kubernetes' kubelet gives
 * every pod its own worker): a pod sitting out its grace period never holds a
 * queue worker, so it never holds back the start of another pod.
 */
export class PodTerminations {
  private readonly running = new Map<string, Promise<void>>();

  /** Whether the pod under `key` is being terminated. */
  has(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Runs `work` for `key` unless a termination of that key already runs;
   * `settled` is called once it has finished (either way), after `key` is free.
   */
  start(key: string, work: () => Promise<void>, settled: (error: unknown) => void): void {
    if (this.running.has(key)) return;
    const done = work().then(
      () => undefined,
      (error: unknown) => error ?? new Error('termination failed'),
    );
    this.running.set(
      key,
      done.then((error) => {
        this.running.delete(key);
        settled(error);
      }),
    );
  }

  /** Resolves once every termination started so far has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  get size(): number {
    return this.running.size;
  }
}
