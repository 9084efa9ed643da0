/** How many selections are remembered before the memory starts again. */
const REMEMBERED_SELECTIONS = 256;

/**
 * The last few answers to "which pods does this selector pick in this namespace", remembered until the index
 * changes (its owner calls `clear`): a file of many copies of the same Services asks the same of every
 * candidate pod again for each copy (docs/BENCHMARKS.md). Only selectors whose values are all strings are
 * remembered, keyed by their JSON (which tells every pair of strings apart); others are selected each time.
 */
export class RememberedSelections<T> {
  private readonly answers = new Map<string, T>();

  /** The answer for `namespace` and `selector`: remembered, or `select()`'s (then remembered). */
  get(namespace: string | undefined, selector: Readonly<Record<string, string>>, select: () => T): T {
    const entries = Object.entries(selector);
    if (!entries.every(([, v]) => typeof v === 'string')) return select();
    const key = JSON.stringify([namespace ?? '', entries]);
    let answer = this.answers.get(key);
    if (answer === undefined) {
      if (this.answers.size >= REMEMBERED_SELECTIONS) this.answers.clear();
      answer = select();
      this.answers.set(key, answer);
    }
    return answer;
  }

  clear(): void {
    this.answers.clear();
  }
}
