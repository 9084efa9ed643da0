import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Files checked between two looks at the young generation's size. */
const LOOK_EVERY = 32;

/**
 * Lets V8's young generation grow once, to twice its first size, then holds
 * it there again (the launcher holds it at its first size:
 * `scripts/kube-workbench.js`). The size V8 starts with cannot be changed
 * once the process runs (`--min-semi-space-size` works on the command line
 * only), but the growth factor is read at each growth. Returns what to call
 * after each file: every few files it looks at the size and, once doubled,
 * stops the growth.
 */
export function growYoungGenerationOnce(): () => void {
  const start = newSpaceSize();
  if (start === undefined || !setFlag('--semi-space-growth-factor=2')) return () => undefined;
  let files = 0;
  let done = false;
  return () => {
    if (done || ++files % LOOK_EVERY !== 0) return;
    if ((newSpaceSize() ?? 0) < 2 * start) return;
    done = true;
    setFlag('--semi-space-growth-factor=1');
  };
}

function newSpaceSize(): number | undefined {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size;
}

function setFlag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}
