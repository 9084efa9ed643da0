import { isMap, isScalar, isSeq, type Node } from 'yaml';

/**
 * The JSON path of the innermost value at `offset` in a parsed YAML node (a
 * key counts as its value's position), for mapping a diagnostic on rendered
 * text back to the field it is about.
 */
export function pathAtOffset(root: Node | null, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: Node | null = root;
  for (let depth = 0; node !== null && depth < 10_000; depth++) {
    let next: Node | null = null;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        const start = key?.range?.[0] ?? value?.range?.[0] ?? Infinity;
        const end = value?.range?.[2] ?? key?.range?.[2] ?? -1;
        if (offset < start || offset > end) continue;
        path.push(isScalar(key) ? String(key.value) : String(key));
        next = value;
        break;
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const range = (item as Node | null)?.range;
        if (next === null && range && offset >= range[0] && offset <= range[2]) {
          path.push(i);
          next = item as Node;
        }
      });
    }
    node = next;
  }
  return path;
}
