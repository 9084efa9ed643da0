// A prototype for issue #18 row 3 (session 16): a scanner over one block-style YAML
// document that produces a compact tree in flat typed arrays (kind, start, end, parent,
// in document order) instead of node objects, for the subset the fast path handles
// most often: block mappings and sequences, plain, quoted (one line) and block
// scalars, flow collections of scalars, comments, a leading `---`. Anything else
// returns -1 (the caller falls back to the current parser). Duplicate keys are found
// (by text, for keys whose value is their text) and counted, as the fast path reports
// them. No strings and no objects are made per node: the arrays are shared and grown
// by doubling. Only for measuring (bench/validate-floor.mjs, bench/compact-scan-check.mjs).

import {
  BLOCK,
  DOUBLE,
  EMPTY,
  FLOW_MAP,
  FLOW_SEQ,
  MAP,
  PLAIN,
  SEQ,
  SINGLE,
  bail,
  isBail,
  keepPreviousKey,
  node,
  previousKey,
  tree,
} from './compact-tree.ts';
import { blockScalar } from './compact-block-scalar.ts';
import { flow, flowLineEnd } from './compact-flow.ts';
import {
  closeQuote,
  isDash,
  isMarker,
  isStringWord,
  keyColon,
  lineEndAt,
  plainStart,
  restIsComment,
  sameText,
  setText,
  text,
} from './compact-text.ts';

export { BLOCK, DOUBLE, EMPTY, FLOW_MAP, FLOW_SEQ, MAP, PLAIN, SEQ, SINGLE, tree };

const MAX_DEPTH = 100;
const stackNode = new Int32Array(MAX_DEPTH + 2);
const stackIndent = new Int32Array(MAX_DEPTH + 2);
/** Per open collection, its last key node (-1 before the first). */
const stackLastKey = new Int32Array(MAX_DEPTH + 2);
let sp = 0;

function push(kind: number, at: number, indent: number): number {
  if (sp > MAX_DEPTH) bail();
  const parent = sp > 0 ? (stackNode[sp - 1] as number) : -1;
  const i = node(kind, at, at, parent);
  stackNode[sp] = i;
  stackIndent[sp] = indent;
  stackLastKey[sp] = -1;
  sp++;
  return i;
}

/** Closes the innermost open collection: its end is its last child's. */
function pop(): void {
  sp--;
  const i = stackNode[sp] as number;
  let last = tree.count - 1;
  while (last > i && tree.parent[last] !== i) last = tree.parent[last] as number;
  if (last > i) tree.end[i] = tree.end[last] as number;
}

/** Scans `source` (one document); the number of nodes, or -1 outside the subset. */
export function compactScan(source: string): number {
  setText(source);
  tree.count = 0;
  tree.duplicates = 0;
  sp = 0;
  try {
    scan();
    return tree.count;
  } catch (error) {
    if (isBail(error)) return -1;
    throw error;
  }
}

function scan(): void {
  const length = text.length;
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) bail();
  let pos = 0;
  let started = false;
  let ended = false;
  let rootFlow = false;
  let markers = 0;
  /** A key or dash whose value is on later lines: the open collection's indent, or -2. */
  let pendingIndent = -2;
  let pendingAt = 0;
  while (pos < length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = length;
    let c = pos;
    while (c < lineEnd && text.charCodeAt(c) === 32) c++;
    const next = lineEnd + 1;
    if (c === lineEnd || text.charCodeAt(c) === 35) {
      pos = next;
      continue;
    }
    if (ended) bail();
    const col = c - pos;
    if (col === 0 && isMarker(pos, lineEnd)) {
      const dots = text.charCodeAt(pos) === 46;
      // A second `---` (an empty document before it) or `...` before any content: outside the prototype.
      if (dots ? !started : started || markers++ > 0) bail();
      if (dots) ended = true;
      if (!restIsComment(pos + 3, lineEnd, true)) bail();
      pos = next;
      continue;
    }
    if (!started && col !== 0) bail();
    // Only `...` may follow a flow collection at the root.
    if (rootFlow) bail();
    const first = text.charCodeAt(c);
    if (!started && (first === 91 || first === 123)) {
      started = true;
      rootFlow = true;
      if (!restIsComment(flow(c, lineEnd, -1, -1), flowLineEnd, false)) bail();
      pos = flowLineEnd + 1;
      // Any line after a flow root but `...` is outside the subset (the fast path's rule).
      if (pos < length && !isMarker(pos, lineEndAt(pos))) bail();
      continue;
    }
    started = true;
    const dash = isDash(c, lineEnd);
    if (pendingIndent !== -2) {
      const owner = pendingIndent;
      pendingIndent = -2;
      const topIsMap = sp > 0 && tree.kind[stackNode[sp - 1] as number] === MAP;
      if (col > owner || (col === owner && dash && topIsMap)) {
        push(dash ? SEQ : MAP, c, col);
      } else node(EMPTY, pendingAt, pendingAt, stackNode[sp - 1] as number);
    }
    while (sp > 0 && (stackIndent[sp - 1] as number) > col) pop();
    if (sp === 0) push(dash ? SEQ : MAP, c, col);
    else if (!dash && tree.kind[stackNode[sp - 1] as number] === SEQ && stackIndent[sp - 1] === col) pop();
    if (sp === 0 || stackIndent[sp - 1] !== col) bail();
    pendingIndent = item(c, pos, lineEnd, col);
    pendingAt = pendingIndent === -2 ? 0 : afterIndicator;
    pos = lineEnd === length ? length : next;
    if (blockEnd >= 0) {
      pos = blockEnd;
      blockEnd = -1;
    }
  }
  if (pendingIndent !== -2) node(EMPTY, pendingAt, pendingAt, stackNode[sp - 1] as number);
  while (sp > 0) pop();
  if (!started) bail();
}

/** Where a block scalar's lines end (the next line to read), or -1. */
let blockEnd = -1;
/** After `key:` or `-` and their spaces, where an empty value sits. */
let afterIndicator = 0;

/** An item at `c` on the line from `lineStart` to `lineEnd`, in the open collection of indent `col`; the pending indent or -2. */
function item(c: number, lineStart: number, lineEnd: number, col: number): number {
  const top = stackNode[sp - 1] as number;
  if (tree.kind[top] === SEQ) {
    if (!isDash(c, lineEnd)) bail();
    let v = c + 1;
    while (v < lineEnd && text.charCodeAt(v) === 32) v++;
    if (v === lineEnd || text.charCodeAt(v) === 35) {
      afterIndicator = v;
      return col;
    }
    const inner = v - lineStart;
    if (isDash(v, lineEnd)) {
      push(SEQ, v, inner);
      return item(v, lineStart, lineEnd, inner);
    }
    if (keyColon(v, lineEnd) >= 0) {
      push(MAP, v, inner);
      return item(v, lineStart, lineEnd, inner);
    }
    inlineValue(v, lineEnd, col, top);
    return -2;
  }
  if (isDash(c, lineEnd)) bail();
  const colon = keyColon(c, lineEnd);
  if (colon < 0) bail();
  key(c, colon, top);
  let v = colon + 1;
  while (v < lineEnd && text.charCodeAt(v) === 32) v++;
  if (v === lineEnd || text.charCodeAt(v) === 35) {
    afterIndicator = v;
    return col;
  }
  inlineValue(v, lineEnd, col, top);
  return -2;
}

function key(c: number, colon: number, map: number): void {
  const first = text.charCodeAt(c);
  let start = c;
  let end = colon;
  let kind = PLAIN;
  if (first === 34 || first === 39) {
    end = closeQuote(c, colon);
    if (end !== colon) bail();
    kind = first === 34 ? DOUBLE : SINGLE;
    // Escapes make the value differ from the text: outside the prototype.
    for (let i = c + 1; i < end - 1; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 92 || ch === 39) bail();
    }
    start = c + 1;
    end--;
  } else {
    while (end > c && text.charCodeAt(end - 1) === 32) end--;
    if (!isStringWord(c, end)) bail();
  }
  // Duplicates among the earlier keys of this mapping (a chain through `previousKey`), by text.
  const length = end - start;
  for (let k = stackLastKey[sp - 1] as number; k >= 0; k = previousKey[k] as number) {
    const quoted = tree.kind[k] !== PLAIN ? 1 : 0;
    const ks = (tree.start[k] as number) + quoted;
    if ((tree.end[k] as number) - quoted - ks === length && sameText(ks, start, length)) {
      // After an empty value, where the `yaml` package places the error is left to the fast path.
      if (tree.kind[tree.count - 1] === EMPTY) bail();
      tree.duplicates++;
      break;
    }
  }
  const i = node(kind, c, kind === PLAIN ? end : end + 1, map);
  keepPreviousKey(i, stackLastKey[sp - 1] as number);
  stackLastKey[sp - 1] = i;
}

function inlineValue(v: number, lineEnd: number, indent: number, parent: number): void {
  const c = text.charCodeAt(v);
  if (c === 124 || c === 62) {
    blockEnd = blockScalar(v, lineEnd, indent, parent);
    return;
  }
  if (c === 34 || c === 39) {
    const end = closeQuote(v, lineEnd);
    if (!restIsComment(end, lineEnd, false)) bail();
    node(c === 34 ? DOUBLE : SINGLE, v, end, parent);
    return;
  }
  if (c === 91 || c === 123) {
    const end = flow(v, lineEnd, parent, indent);
    if (!restIsComment(end, flowLineEnd, false)) bail();
    // A collection over lines: the block goes on after its last line.
    if (flowLineEnd !== lineEnd) blockEnd = Math.min(flowLineEnd + 1, text.length);
    return;
  }
  plainStart(v, lineEnd);
  let end = v;
  for (let i = v; i < lineEnd; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) bail();
    if (ch === 35 && text.charCodeAt(i - 1) === 32) break;
    if (ch !== 32) end = i + 1;
  }
  node(PLAIN, v, end, parent);
}
