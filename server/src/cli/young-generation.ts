import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Files checked between two looks at the young generation's size. */
const LOOK_EVERY = 32;

/**
 * Lets V8's young generation grow once, to twice the size it has when
 * called, then holds it there again (the launcher sets V8's growth factor to
 * 1: `scripts/kube-workbench.js`). On Node 20 here that is 2 -> 4 MiB of new
 * space, what `--min-semi-space-size=2` gives, but that flag works on node's
 * command line only; the growth factor is read at each growth. Returns what
 * to call after each file: every few files it looks at the size and, once
 * doubled, sets the factor back to 1.
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
