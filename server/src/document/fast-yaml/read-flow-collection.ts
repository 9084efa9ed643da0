import { YAMLMap, YAMLSeq } from 'yaml';
import type { Scalar, Schema } from 'yaml';
import { bail } from './bail.js';
import { newMap, newPair, newSeq } from './nodes.js';
import { readQuotedScalar } from './read-quoted-scalar.js';
import { resolvePlainScalar } from './resolve-plain-scalar.js';

type FlowNode = Scalar | YAMLMap | YAMLSeq;

/**
 * A flow collection (`[a, b]`, `{a: 1, b: [x]}`) that starts at `start` and
 * closes on the same line (before `lineEnd`). Ranges as the `yaml` package
 * gives them; the collection's own `range[2]` is left for the caller (it
 * takes what follows the closing bracket). Returns the position after it.
 */
export function readFlowCollection(
  text: string,
  start: number,
  lineEnd: number,
  schema: Schema,
): { node: YAMLMap | YAMLSeq; end: number } {
  return new FlowReader(text, lineEnd, schema).collection(start, 0);
}

const MAX_FLOW_DEPTH = 64;

class FlowReader {
  constructor(
    private readonly text: string,
    private readonly lineEnd: number,
    private readonly schema: Schema,
  ) {}

  collection(start: number, depth: number): { node: YAMLMap | YAMLSeq; end: number } {
    if (depth > MAX_FLOW_DEPTH) bail('deep flow');
    const isMap = this.text.charCodeAt(start) === 123;
    const close = isMap ? 125 : 93;
    const node = isMap ? newMap(this.schema) : newSeq(this.schema);
    node.flow = true;
    let pos = this.spaces(start + 1);
    let keys: unknown[] | undefined;
    for (;;) {
      if (pos >= this.lineEnd) bail('multi-line flow collection');
      if (this.text.charCodeAt(pos) === close) break;
      if (isMap) {
        const key = this.item(pos, depth, true);
        if (key.node.range === undefined || key.node.range === null || key.end !== key.node.range[1]) bail('flow key');
        if (this.text.charCodeAt(key.end) !== 58 || this.text.charCodeAt(key.end + 1) !== 32) bail('flow key');
        const keyValue = (key.node as Scalar).value;
        keys ??= [];
        if (keys.includes(keyValue)) bail('duplicate flow key');
        keys.push(keyValue);
        const valueStart = this.spaces(key.end + 2);
        const value = this.item(valueStart, depth, false);
        (node as YAMLMap).items.push(newPair(key.node, value.node));
        pos = value.after;
      } else {
        const value = this.item(pos, depth, false);
        (node as YAMLSeq).items.push(value.node);
        pos = value.after;
      }
      const c = this.text.charCodeAt(pos);
      if (c === 44) pos = this.spaces(pos + 1);
      else if (c !== close) bail('flow separator');
    }
    node.range = [start, pos + 1, pos + 1];
    return { node, end: pos + 1 };
  }

  /** One item: `end` after its text, `after` after the spaces that follow (its range[2]). */
  private item(pos: number, depth: number, atKey: boolean): { node: FlowNode; end: number; after: number } {
    if (pos >= this.lineEnd) bail('multi-line flow collection');
    const c = this.text.charCodeAt(pos);
    let node: FlowNode;
    let end: number;
    if (c === 91 || c === 123) {
      if (atKey) bail('collection as flow key');
      const inner = this.collection(pos, depth + 1);
      node = inner.node;
      end = inner.end;
    } else if (c === 34 || c === 39) {
      const quoted = readQuotedScalar(this.text, pos, this.lineEnd);
      node = quoted.node;
      end = quoted.end;
    } else {
      end = this.plainEnd(pos, atKey);
      node = resolvePlainScalar(this.text.slice(pos, end));
    }
    const after = this.spaces(end);
    if (atKey) node.range = [pos, end, end];
    else if (node instanceof YAMLMap || node instanceof YAMLSeq) node.range = [pos, end, after];
    else node.range = [pos, end, after];
    return { node, end, after };
  }

  /** End of a plain scalar in flow context; indicators, `:` and `#` in it bail. */
  private plainEnd(pos: number, atKey: boolean): number {
    const t = this.text;
    const first = t.charCodeAt(pos);
    // , [ ] { } # & * ! | > ' " % @ ` - ? :
    if (first === 44 || first === 93 || first === 125 || first === 35 || first === 38 || first === 42)
      bail('flow indicator');
    if (first === 33 || first === 124 || first === 62 || first === 37 || first === 64 || first === 96)
      bail('indicator');
    if (first === 45 || first === 63 || first === 58) {
      const n = t.charCodeAt(pos + 1);
      if (n === 32 || n === 44 || n === 93 || n === 125 || pos + 1 >= this.lineEnd) bail('indicator');
    }
    let i = pos;
    let last = pos;
    for (; i < this.lineEnd; i++) {
      const c = t.charCodeAt(i);
      if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
      if (c === 58) {
        if (atKey && t.charCodeAt(i + 1) === 32) break;
        bail('colon in flow scalar');
      }
      if (c === 35 && t.charCodeAt(i - 1) === 32) bail('comment in flow collection');
      if (c !== 32) last = i + 1;
    }
    if (i >= this.lineEnd) bail('multi-line flow collection');
    return last;
  }

  private spaces(pos: number): number {
    while (pos < this.lineEnd && this.text.charCodeAt(pos) === 32) pos++;
    return pos;
  }
}
