import { Document, YAMLMap } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../yaml-options.js';
import { Bail, bail } from './bail.js';
import { BlockParser } from './block-parser.js';
import { rangeEnd, setRange } from './nodes.js';
import { resolvePlainScalar } from './resolve-plain-scalar.js';
import { SourceLines } from './source-lines.js';

/**
 * The options every fast-path document is made with: the manifest options and one
 * Schema built from them. Building a Schema (tag tables, the custom tag filter) cost
 * more than parsing a small document, and nothing here changes a document's schema.
 */
let documentOptions: typeof MANIFEST_YAML_OPTIONS | undefined;
function newDocument(): Document {
  documentOptions ??= { ...MANIFEST_YAML_OPTIONS, schema: new Document(undefined, MANIFEST_YAML_OPTIONS).schema };
  return new Document(undefined, documentOptions);
}

/**
 * Parses the common subset of YAML that manifests use into the `yaml`
 * package's own nodes, with the structure, values and ranges that
 * `parseAllDocuments(text, MANIFEST_YAML_OPTIONS)` gives. Returns `undefined`
 * for anything outside the subset (anchors, tags, multi-line plain scalars,
 * single-quoted or key scalars over lines, several non-empty documents, syntax errors, ...): the caller then falls back
 * to the `yaml` package and its exact errors. Comments are not kept on nodes.
 */
export function fastParseDocuments(text: string): Document.Parsed[] | undefined {
  try {
    return parseDocuments(text);
  } catch (error) {
    if (error instanceof Bail || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The bail-out reason for `text`, or `undefined` when the fast path takes it (for tests and tuning). */
export function fastParseBailReason(text: string): string | undefined {
  try {
    parseDocuments(text);
    return undefined;
  } catch (error) {
    if (error instanceof Bail) return error.reason;
    throw error;
  }
}

function parseDocuments(text: string): Document.Parsed[] {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = new SourceLines(text, from);
  const docs: Document.Parsed[] = [];
  let line = 0;
  let marker = -1;
  let comments = false;
  for (; line < lines.count; line++) {
    if (lines.isFiller(line)) {
      comments ||= lines.isComment(line);
      continue;
    }
    if (!lines.isMarker(line) || !text.startsWith('---', lines.start[line])) break;
    const at = lines.start[line] as number;
    // `---` after `---` and only comments or blank lines: an empty document.
    if (marker >= 0) docs.push(emptyDocument(text, marker, comments, at));
    marker = at;
    let rest = marker + 3;
    while (rest < (lines.end[line] as number) && text.charCodeAt(rest) === 32) rest++;
    if (rest < (lines.end[line] as number) && text.charCodeAt(rest) !== 35) bail('content after ---');
    comments = rest < (lines.end[line] as number);
  }
  if (line >= lines.count) bail('no content');
  if ((lines.indent[line] as number) !== 0 || lines.isMarker(line)) bail('document start');
  const doc = newDocument();
  const parser = new BlockParser(lines, doc.schema);
  const first = text.charCodeAt(lines.contentStart(line));
  let contents: YAMLMap | YAMLSeq;
  let docEnd: number;
  if (first === 91 || first === 123) {
    contents = parser.rootFlow(line);
    // What follows a flow root joins the document in ways not reproduced here; only `...` may.
    if (parser.line < lines.count && !lines.isMarker(parser.line)) bail('text after a flow root');
    docEnd = rangeEnd(contents);
  } else {
    const root = parser.collection(line, 0, 0);
    contents = root.node;
    docEnd = root.trailing ? root.trailing.end : rangeEnd(contents);
  }
  // The `yaml` package rejects a sequence right after a byte order mark.
  if (from > 0 && lines.contentStart(line) === from && !(contents instanceof YAMLMap))
    bail('byte order mark before a sequence');
  if (parser.line < lines.count) docEnd = documentEnd(lines, parser.line);
  doc.contents = contents;
  doc.errors.push(...parser.errors);
  doc.range = [marker >= 0 ? marker : lines.contentStart(line), rangeEnd(contents), docEnd];
  if (marker >= 0 && doc.directives) doc.directives.docStart = true;
  docs.push(doc as Document.Parsed);
  return docs;
}

/** After a `...` line that ends the document (followed by comments and blank lines only): where the document ends. */
function documentEnd(lines: SourceLines, line: number): number {
  const text = lines.text;
  const start = lines.start[line] as number;
  if (!lines.isMarker(line) || !text.startsWith('...', start)) bail('more than one document');
  let pos = start + 3;
  while (pos < (lines.end[line] as number) && text.charCodeAt(pos) === 32) pos++;
  if (pos < (lines.end[line] as number) && (text.charCodeAt(pos) !== 35 || pos === start + 3)) bail('text after ...');
  for (let l = line + 1; l < lines.count; l++) if (!lines.isFiller(l)) bail('more than one document');
  return lines.next[line] as number;
}

/** The empty document a `---` at `marker` opens when only comments or blank lines follow before the `---` at `next`. */
function emptyDocument(text: string, marker: number, comments: boolean, next: number): Document.Parsed {
  const doc = newDocument();
  let pos = marker + 3;
  while (text.charCodeAt(pos) === 32) pos++;
  const contents = resolvePlainScalar('');
  const end = comments ? next : pos;
  setRange(contents, pos, pos, end);
  doc.contents = contents;
  doc.range = [marker, end, end];
  if (doc.directives) doc.directives.docStart = true;
  return doc as Document.Parsed;
}
