// Block scalars (`|`, `>`) for bench/lib/compact-scan.ts (issue #18 row 3, session 16).
import { BLOCK, bail, node } from './compact-tree.ts';
import { restIsComment, text } from './compact-text.ts';

/**
 * A block scalar's header at `v` in a collection of indent `parentIndent`: its lines are those
 * as indented as its first content line, and blank ones. What the fast path leaves (see
 * read-block-scalar.ts) is left here too. Returns where the next line to read starts.
 */
export function blockScalar(v: number, lineEnd: number, parentIndent: number, parent: number): number {
  const folded = text.charCodeAt(v) === 62;
  let pos = v + 1;
  let keep = false;
  let chomp = false;
  for (let k = 0; k < 2 && pos < lineEnd; k++) {
    const c = text.charCodeAt(pos);
    if ((c === 45 || c === 43) && !chomp) {
      chomp = true;
      keep = c === 43;
    } else if (c >= 49 && c <= 57) bail();
    else break;
    pos++;
  }
  if (!restIsComment(pos, lineEnd, false)) bail();
  const length = text.length;
  let indent = -1;
  let at = lineEnd + 1;
  let end = lineEnd;
  let blankAfter = false;
  let leadingDeepest = 0;
  let lastLineBreak = true;
  while (at < length) {
    let e = text.indexOf('\n', at);
    if (e < 0) e = length;
    let c = at;
    while (c < e && text.charCodeAt(c) === 32) c++;
    if (c === e) {
      if (indent < 0) leadingDeepest = Math.max(leadingDeepest, c - at);
      else if (c - at > indent) bail();
      blankAfter = true;
      lastLineBreak = e < length;
      at = e + 1;
      continue;
    }
    if (indent < 0) {
      indent = c - at;
      if (indent <= parentIndent) bail();
      if (leadingDeepest > indent) bail();
    } else if (c - at < indent) break;
    if (folded && c - at > indent) bail();
    end = e;
    blankAfter = false;
    lastLineBreak = e < length;
    at = e + 1;
  }
  if (indent < 0) bail();
  if (keep && blankAfter && !lastLineBreak) bail();
  node(BLOCK, v, end, parent);
  return Math.min(at, length);
}
