import { setFlagsFromString } from 'node:v8';

/**
 * How much bytecode TurboFan may inline into one optimized function, cumulatively (V8's default is
 * 920). `validate` over many files runs each of its many code paths (parse, the checks of each kind,
 * the index, the report) for a short while: compiling them with a deep inlining budget cost more CPU
 * on V8's helper threads than the inlined code saved (session 16 in docs/BENCHMARKS.md: 10,250
 * documents in 8,950 files, ~18 % less CPU with 230). One file of many documents keeps the default:
 * its few paths run long enough for the inlining to pay (the 15 MB file took the same or more CPU).
 */
const MANY_FILES_BUDGET = 230;

/** Lowers the budget for the compiles to come; read by TurboFan at each compile. False where the engine refuses. */
export function lowerInliningBudget(): boolean {
  try {
    setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${MANY_FILES_BUDGET}`);
    return true;
  } catch {
    return false;
  }
}
