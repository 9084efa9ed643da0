/**
 * JSON 6902 patches as kustomize applies them (`patches` whose text is a list of operations, and
 * `patchesJson6902`): RFC 6902 over the resource's JSON with the lenient rules of the Go json-patch v4
 * library kustomize uses (negative indexes count from the end, `add` without a value adds null, `replace`
 * of a missing key adds it). Never mutates the target; a failure is a PatchError naming the operation's index.
 */
import { applyJsonPatch } from '../patch/json-patch';
import { isObject, MAX_NESTING_DEPTH, nestingDepth, type JsonObject } from '../patch/json-value';
import { PatchError } from '../patch/patch-error';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Why a parsed patch document is not a list of JSON 6902 operations, or undefined when it is one. */
export function json6902Problem(ops: unknown): { message: string; op?: number } | undefined {
  if (!Array.isArray(ops)) return { message: 'a JSON 6902 patch is a list of operations' };
  for (let i = 0; i < ops.length; i++) {
    const op: unknown = ops[i];
    if (!isObject(op)) return { message: `operation ${i} is not a map`, op: i };
    if (typeof op.op !== 'string' || !OPS.has(op.op))
      return { message: `operation ${i}: unexpected kind ${JSON.stringify(op.op)}`, op: i };
    if (typeof op.path !== 'string') return { message: `operation ${i} (${op.op}) has no "path"`, op: i };
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string')
      return { message: `operation ${i} (${op.op}) has no "from"`, op: i };
  }
  return undefined;
}

/** Applies `ops` to a copy of `target`; throws PatchError (with `op`, the failing operation's index). */
export function applyJson6902(target: JsonObject, ops: unknown): JsonObject {
  const problem = json6902Problem(ops);
  if (problem) throw new PatchError(problem.message, problem.op);
  for (const [what, value] of [
    ['patch', ops],
    ['resource', target],
  ] as const) {
    if (nestingDepth(value) > MAX_NESTING_DEPTH)
      throw new PatchError(`the ${what} nests deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  let out: unknown;
  try {
    out = applyJsonPatch(target, ops, 'v4');
  } catch (e) {
    if (!(e instanceof PatchError) || e.op === undefined) throw e;
    const op = (ops as JsonObject[])[e.op]!;
    throw new PatchError(`operation ${e.op} (${String(op.op)} ${String(op.path)}): ${e.message}`, e.op);
  }
  if (!isObject(out)) throw new PatchError('the patched resource is not a map');
  return out;
}
