import { Scalar } from 'yaml';
import { bail } from './bail.js';
import { newScalar, setRange } from './nodes.js';
import type { SourceLines } from './source-lines.js';

/**
 * A block scalar (`|`, `>`, with chomping and indentation indicators) whose
 * header `|`/`>` sits at `header` on line `line`, inside a collection indented
 * `parentIndent`. Returns the node with its range and the first line after it.
 * Folded scalars with more-indented lines, whitespace-only lines longer than
 * the indentation, and empty block scalars bail.
 */
export function readBlockScalar(
  lines: SourceLines,
  line: number,
  header: number,
  parentIndent: number,
): { node: Scalar; nextLine: number } {
  const text = lines.text;
  const folded = text.charCodeAt(header) === 62;
  const lineEnd = lines.end[line] as number;
  let pos = header + 1;
  let chomp = 0; // -1 strip, 0 clip, 1 keep
  let explicit = 0;
  for (let k = 0; k < 2 && pos < lineEnd; k++) {
    const c = text.charCodeAt(pos);
    if (c === 45 && chomp === 0) chomp = -1;
    else if (c === 43 && chomp === 0) chomp = 1;
    else if (c >= 49 && c <= 57 && explicit === 0) explicit = c - 48;
    else break;
    pos++;
  }
  if (pos < lineEnd) {
    if (text.charCodeAt(pos) !== 32) bail('block scalar header');
    while (pos < lineEnd && text.charCodeAt(pos) === 32) pos++;
    if (pos < lineEnd && text.charCodeAt(pos) !== 35) bail('block scalar header');
  }
  if (explicit > 0) bail('block scalar indentation indicator');

  // Content lines: the first non-blank line sets the indentation.
  let first = line + 1;
  while (first < lines.count && lines.isBlank(first)) first++;
  if (first >= lines.count) bail('empty block scalar');
  const indent = lines.indent[first] as number;
  if (indent <= parentIndent) bail('empty block scalar');
  let last = first; // last non-blank content line
  let after = first + 1;
  for (; after < lines.count; after++) {
    if (lines.isBlank(after)) {
      if ((lines.indent[after] as number) > indent) bail('whitespace-only line in block scalar');
      continue;
    }
    if ((lines.indent[after] as number) < indent) break;
    last = after;
  }
  for (let l = line + 1; l < first; l++) if ((lines.indent[l] as number) > indent) bail('leading spaces line');
  // Trailing blank lines belong to the scalar only with keep chomping.
  let trailing = 0;
  for (let l = last + 1; l < after; l++) trailing++;

  if (chomp > 0 && trailing > 0 && lines.next[after - 1] === lines.end[after - 1])
    bail('kept blank line at end of text');
  let value = '';
  let blanks = 0;
  let started = false;
  for (let l = line + 1; l <= last; l++) {
    if (lines.isBlank(l)) {
      blanks++;
      continue;
    }
    const content = text.slice((lines.start[l] as number) + indent, lines.end[l]);
    if (folded && content.charCodeAt(0) === 32) bail('more-indented folded line');
    if (!started) {
      value = '\n'.repeat(blanks) + content;
      started = true;
    } else if (folded) value += (blanks === 0 ? ' ' : '\n'.repeat(blanks)) + content;
    else value += '\n'.repeat(blanks + 1) + content;
    blanks = 0;
  }
  if (chomp >= 0) value += '\n';
  if (chomp > 0) value += '\n'.repeat(trailing);
  const node = newScalar(value);
  node.source = value;
  node.type = folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
  const end = chomp > 0 && trailing > 0 ? (lines.next[after - 1] as number) : (lines.next[last] as number);
  setRange(node, header, end, end);
  return { node, nextLine: chomp > 0 ? after : last + 1 };
}
