// What reading the compact tree (bench/lib/compact-scan.ts) costs at the least, for the
// floor (issue #18 row 3, session 16): every node visited once, as a check would visit
// it without making strings: each key hashed (as a lookup in a schema's property table
// would need), each plain scalar's type told from its text (null, bool, number or
// string, as the YAML 1.1 schema resolves it, by its first characters only).
import { MAP, PLAIN, tree } from './compact-scan.ts';

/** Per node, how many children it has had so far (a mapping's even ones are keys). */
let children = new Uint32Array(1024);

/** A sum over the tree (so the work is not optimized away). */
export function compactRead(text: string): number {
  let sum = 0;
  const { kind, start, end, parent } = tree;
  if (children.length < kind.length) children = new Uint32Array(kind.length);
  for (let i = 0; i < tree.count; i++) {
    children[i] = 0;
    const p = parent[i] as number;
    let isKey = false;
    if (p >= 0 && kind[p] === MAP) {
      const n = children[p] as number;
      children[p] = n + 1;
      isKey = (n & 1) === 0;
    }
    if (isKey) {
      let h = 2166136261;
      for (let c = start[i] as number; c < (end[i] as number); c++) h = Math.imul(h ^ text.charCodeAt(c), 16777619);
      sum = (sum + h) | 0;
    } else if (kind[i] === PLAIN) sum += typeOf(text, start[i] as number, end[i] as number);
  }
  return sum;
}

function typeOf(text: string, s: number, e: number): number {
  const c = text.charCodeAt(s);
  if (c >= 48 && c <= 57) return 2;
  if (c === 45 || c === 43 || c === 46) return 3;
  if (e - s <= 5 && (c === 116 || c === 102 || c === 110 || c === 121 || c === 111 || c === 126)) return 4;
  return 1;
}
