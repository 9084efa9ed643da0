// Flow collections (`[a, b]`, `{a: 1}`, over lines too) for bench/lib/compact-scan.ts
// (issue #18 row 3, session 16), with the fast path's rules (read-flow-collection.ts).
import {
  DOUBLE,
  FLOW_MAP,
  FLOW_SEQ,
  PLAIN,
  SINGLE,
  bail,
  keepPreviousKey,
  node,
  previousKey,
  tree,
} from './compact-tree.ts';
import { closeQuote, isMarker, isStringWord, sameText, text } from './compact-text.ts';

/** The line end of the flow collection being read (it may go on over lines). */
export let flowLineEnd = 0;

/** A flow collection from `v` inside a block of indent `blockIndent`; returns where it ends (its line end in `flowLineEnd`). */
export function flow(v: number, lineEnd: number, parent: number, blockIndent: number): number {
  flowLineEnd = lineEnd;
  return flowCollection(v, parent, blockIndent, 0);
}

/** The fast path's limit on nested flow collections. */
const MAX_FLOW_DEPTH = 64;

function flowCollection(v: number, parent: number, blockIndent: number, depth: number): number {
  if (depth > MAX_FLOW_DEPTH) bail();
  const isMap = text.charCodeAt(v) === 123;
  const close = isMap ? 125 : 93;
  const self = node(isMap ? FLOW_MAP : FLOW_SEQ, v, v, parent);
  let lastKey = -1;
  let i = flowGap(v + 1, blockIndent, depth);
  for (;;) {
    if (text.charCodeAt(i) === close) break;
    if (isMap) {
      const c = text.charCodeAt(i);
      if (c === 91 || c === 123) bail();
      let end: number;
      let ks = i;
      let ke: number;
      if (c === 34 || c === 39) {
        end = closeQuote(i, flowLineEnd);
        for (let j = i + 1; j < end - 1; j++) if (text.charCodeAt(j) === 92 || text.charCodeAt(j) === 39) bail();
        ks = i + 1;
        ke = end - 1;
        node(c === 34 ? DOUBLE : SINGLE, i, end, self);
      } else {
        end = flowPlainEnd(i, true);
        if (!isStringWord(i, end)) bail();
        ke = end;
        node(PLAIN, i, end, self);
      }
      // A repeated key in a flow mapping is outside the fast path.
      for (let k = lastKey; k >= 0; k = previousKey[k] as number) {
        const quoted = tree.kind[k] !== PLAIN ? 1 : 0;
        const at = (tree.start[k] as number) + quoted;
        if ((tree.end[k] as number) - quoted - at === ke - ks && sameText(at, ks, ke - ks)) bail();
      }
      const keyNode = tree.count - 1;
      keepPreviousKey(keyNode, lastKey);
      lastKey = keyNode;
      if (text.charCodeAt(end) !== 58) bail();
      if (end + 1 < flowLineEnd && text.charCodeAt(end + 1) !== 32) bail();
      const valueStart = flowGap(end + 1, blockIndent, depth);
      const vc = text.charCodeAt(valueStart);
      if (vc === 44 || vc === 93 || vc === 125) bail();
      i = flowItem(valueStart, self, blockIndent, depth);
    } else i = flowItem(i, self, blockIndent, depth);
    const c = text.charCodeAt(i);
    if (c === 44) i = flowGap(i + 1, blockIndent, depth);
    else if (c !== close) bail();
  }
  tree.end[self] = i + 1;
  return i + 1;
}

/** One value in a flow collection at `i`; returns where the comma or bracket after it is. */
function flowItem(i: number, parent: number, blockIndent: number, depth: number): number {
  if (i >= flowLineEnd) bail();
  const c = text.charCodeAt(i);
  let end: number;
  if (c === 91 || c === 123) end = flowCollection(i, parent, blockIndent, depth + 1);
  else if (c === 34 || c === 39) {
    end = closeQuote(i, flowLineEnd);
    node(c === 34 ? DOUBLE : SINGLE, i, end, parent);
  } else {
    end = flowPlainEnd(i, false);
    node(PLAIN, i, end, parent);
  }
  let after = end;
  while (after < flowLineEnd && text.charCodeAt(after) === 32) after++;
  if (after < flowLineEnd && text.charCodeAt(after) !== 35) return after;
  if (after < flowLineEnd && after === end) bail();
  // The item ends its line: only a closing bracket may follow.
  after = flowNextLine(blockIndent, depth);
  const next = text.charCodeAt(after);
  if (next !== 93 && next !== 125) bail();
  return after;
}

/** After `[`, `{`, `:` or a comma: spaces, then a comment and further lines up to the next content. */
function flowGap(pos: number, blockIndent: number, depth: number): number {
  let at = pos;
  while (at < flowLineEnd && text.charCodeAt(at) === 32) at++;
  if (at < flowLineEnd) {
    if (text.charCodeAt(at) !== 35) return at;
    if (at === pos) bail();
  }
  return flowNextLine(blockIndent, depth);
}

/** The first content after the current line of a flow collection (see read-flow-collection.ts for the rules). */
function flowNextLine(blockIndent: number, depth: number): number {
  const length = text.length;
  let pos = flowLineEnd + 1;
  while (pos < length) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = length;
    if (isMarker(pos, e)) bail();
    let c = pos;
    while (c < e && text.charCodeAt(c) === 32) c++;
    const indent = c - pos;
    if (c === e) {
      pos = e + 1;
      continue;
    }
    const ch = text.charCodeAt(c);
    if (ch === 35) {
      if (indent <= blockIndent || indent === 0) bail();
      pos = e + 1;
      continue;
    }
    if (indent <= blockIndent && !(indent === blockIndent && depth === 0 && (ch === 93 || ch === 125))) bail();
    if (ch === 44) bail();
    flowLineEnd = e;
    return c;
  }
  bail();
}

/** The end of a plain scalar in a flow collection at `pos`; indicators and a `:` in it are outside the subset. */
function flowPlainEnd(pos: number, atKey: boolean): number {
  const first = text.charCodeAt(pos);
  if (first === 44 || first === 93 || first === 125 || first === 35 || first === 38 || first === 42) bail();
  if (first === 33 || first === 124 || first === 62 || first === 37 || first === 64 || first === 96) bail();
  if (first === 34 || first === 39) bail();
  if (first === 45 || first === 63 || first === 58) {
    const n = text.charCodeAt(pos + 1);
    if (n === 32 || n === 44 || n === 93 || n === 125 || pos + 1 >= flowLineEnd) bail();
  }
  let i = pos;
  let last = pos;
  for (; i < flowLineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
    if (c === 58) {
      if (atKey && (text.charCodeAt(i + 1) === 32 || i + 1 === flowLineEnd)) break;
      bail();
    }
    if (c === 35 && text.charCodeAt(i - 1) === 32) break;
    if (c !== 32) last = i + 1;
  }
  if (atKey && i >= flowLineEnd) bail();
  return last;
}
