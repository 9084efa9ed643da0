import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Pair, Scalar } from 'yaml';
import type { RuleContext } from './rule.js';

export type Path = readonly (string | number)[];

/** A scalar as text for messages and comparisons; collections as JSON. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** The pairs of the map at a path whose keys are plain scalars. */
export function mapEntries(
  ctx: RuleContext,
  path: Path,
): { key: string; keyNode: Scalar; valueNode: Node | undefined; pair: Pair }[] {
  const map = ctx.node(path);
  if (!isMap(map)) return [];
  const out: { key: string; keyNode: Scalar; valueNode: Node | undefined; pair: Pair }[] = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    out.push({
      key: String(pair.key.value),
      keyNode: pair.key,
      valueNode: (pair.value as Node | null) ?? undefined,
      pair,
    });
  }
  return out;
}

/** The number of items in the list at a path (0 when it is not a list). */
export function listLength(ctx: RuleContext, path: Path): number {
  const seq = ctx.node(path);
  return isSeq(seq) ? seq.items.length : 0;
}

/** The string at a path with its node, when it is a string scalar. */
export function stringAt(ctx: RuleContext, path: Path): { value: string; node: Node } | undefined {
  const node = ctx.node(path);
  return isScalar(node) && typeof node.value === 'string' ? { value: node.value, node } : undefined;
}

export function numberAt(ctx: RuleContext, path: Path): { value: number; node: Node } | undefined {
  const node = ctx.node(path);
  return isScalar(node) && typeof node.value === 'number' ? { value: node.value, node } : undefined;
}

/** The key node of the last segment of a path (e.g. `selector` in spec.selector), for reports about a whole value. */
export function keyNodeOf(ctx: RuleContext, path: Path): Node | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return ctx.node(path);
  const parent = ctx.node(path.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}
