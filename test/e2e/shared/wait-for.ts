/**
 * Polls `probe` until `accept` holds, for at most `timeoutMs`. Waiting is not
 * what is tested: the time limit only turns "never happens" into a failure
 * that names what was awaited and what was seen last.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > end) {
      throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
