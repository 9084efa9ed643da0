import { lfForLoneCr } from './manifest-file.js';
import { splitCountingLines } from './split-documents.js';
import type { DocumentChunk } from './split-documents.js';

/** A part of an open document's text; the same object for as long as the edits leave it alone. */
export interface TextPiece {
  readonly text: string;
}

/**
 * A text as pieces (an open document's, see PiecedTextDocument): each piece but the first starts where
 * `splitDocuments` starts a chunk in the whole text, so a piece's chunks are the whole's. `text()` builds
 * the whole string, for the rare reader that needs it (kept until the next edit).
 */
export interface TextPieces {
  readonly pieces: readonly TextPiece[];
  readonly length: number;
  text(): string;
}

/** What the readers on an edit's path need of a piece, computed once per piece. */
interface PieceFacts {
  /** The piece with its lone CRs as LFs (as the parse sees it). */
  readonly file: string;
  /** Its chunks, their offsets and lines counted from the piece's start. */
  readonly chunks: readonly DocumentChunk[];
  /** Its line feeds (in `file`). */
  readonly lineFeeds: number;
  /** Where its first `{{` is and where its last `}}` is (-1: none). */
  readonly open: number;
  readonly close: number;
}

const facts = new WeakMap<TextPiece, PieceFacts>();

function factsOf(piece: TextPiece): PieceFacts {
  let found = facts.get(piece);
  if (found) return found;
  const file = lfForLoneCr(piece.text);
  const { chunks, lineFeeds } = splitCountingLines(file);
  found = pieceFacts(file, chunks, lineFeeds);
  facts.set(piece, found);
  return found;
}

function pieceFacts(file: string, chunks: readonly DocumentChunk[], lineFeeds: number): PieceFacts {
  return { file, chunks, lineFeeds, open: file.indexOf('{{'), close: file.lastIndexOf('}}') };
}

/**
 * `text` cut into pieces at some of its chunk starts, each up to `maxLength` if it can (a chunk larger
 * is a piece alone). `file`: the text with its lone CRs as LFs; `chunks`: splitDocuments(file) (then
 * possibly cut off at `text.length`). Each piece's facts are taken from these chunks, not split again.
 */
export function cutIntoPieces(
  text: string,
  file: string,
  chunks: readonly DocumentChunk[],
  maxLength: number,
): TextPiece[] {
  const pieces: TextPiece[] = [];
  const endOf = (c: number): number => (c < chunks.length ? chunks[c]!.start : text.length);
  let from = 0;
  for (let c = 0; c < chunks.length;) {
    // The chunks of one piece: [c, end), as many as fit in `maxLength` (one at least).
    let end = c + 1;
    while (end < chunks.length && endOf(end + 1) - from <= maxLength) end++;
    const to = endOf(end);
    const own = chunks.slice(c, end);
    const piece = { text: text.slice(from, to) };
    const pieceFile = file.slice(from, to);
    const firstLine = own[0]!.startLine;
    const nextLine = end < chunks.length ? chunks[end]!.startLine : firstLine + lineFeedsIn(pieceFile);
    const ownChunks = own.map((k) => ({ text: k.text, start: k.start - from, startLine: k.startLine - firstLine }));
    facts.set(piece, pieceFacts(pieceFile, ownChunks, nextLine - firstLine));
    pieces.push(piece);
    from = to;
    c = end;
  }
  return pieces;
}

function lineFeedsIn(file: string): number {
  let count = 0;
  for (let i = file.indexOf('\n'); i >= 0; i = file.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * `piece` cut into pieces of up to `maxLength` at its chunk starts, from its chunks as a reader split them
 * (see factsOf: an open document's one piece is split by its first validation), or split now.
 */
export function cutAtChunks(piece: TextPiece, maxLength: number): TextPiece[] {
  const { file, chunks } = factsOf(piece);
  return cutIntoPieces(piece.text, file, chunks, maxLength);
}

/** The whole text with its lone CRs as LFs (as the parse sees it): of one piece, the piece's (split once). */
export function wholeFile(text: TextPieces): string {
  const only = text.pieces.length === 1 ? text.pieces[0] : undefined;
  return only ? factsOf(only).file : lfForLoneCr(text.text());
}

/** A string as a text of one piece (callers that have no open document: the CLI, tests). */
export function asPieces(text: string | TextPieces): TextPieces {
  if (typeof text !== 'string') return text;
  return { pieces: [{ text }], length: text.length, text: () => text };
}

/** `splitDocuments` of the whole text (its lone CRs as LFs), from each piece's chunks. */
export function documentChunks(text: TextPieces): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  let line = 0;
  for (const piece of text.pieces) {
    const { chunks: own, lineFeeds } = factsOf(piece);
    if (start === 0 && line === 0) for (const c of own) chunks.push(c);
    else for (const c of own) chunks.push({ text: c.text, start: start + c.start, startLine: line + c.startLine });
    start += piece.text.length;
    line += lineFeeds;
  }
  return chunks;
}

/**
 * `TEMPLATE_ACTION.test` of the whole text: a `}}` after the first `{{` (neither spans a piece's end: a
 * piece ends with a line break).
 */
export function isTemplated(text: TextPieces): boolean {
  let opened = false;
  for (const piece of text.pieces) {
    const { open, close } = factsOf(piece);
    if (opened ? close >= 0 : open >= 0 && close >= open + 2) return true;
    opened ||= open >= 0;
  }
  return false;
}
