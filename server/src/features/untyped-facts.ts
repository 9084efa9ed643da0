import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Document } from 'yaml';
import { typeOf } from '../document/is-manifest.js';
import type { ParsedChunk } from '../document/manifest-file.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';
import { isTypeCandidate, reportMissingType } from './missing-type.js';

/** `apiVersion` and `kind` of a document (`typeOf`), or undefined. */
export type DocumentType = ReturnType<typeof typeOf>;

/** `typeOf` of each document, once for both the checks and `untypedOf` (each a lookup of two keys). */
export function typesOf(docs: readonly Document.Parsed[]): DocumentType[] {
  const types = new Array<DocumentType>(docs.length);
  for (let i = 0; i < docs.length; i++) types[i] = typeOf(docs[i]!);
  return types;
}

export interface UntypedFacts {
  /** Whether a document of the chunk is a manifest (has apiVersion and kind). */
  readonly manifest: boolean;
  /** What kubectl says of the chunk's objects without a type, relative to the chunk. */
  readonly diagnostics: readonly Diagnostic[];
}

const UNTYPED_KEY = 'untyped-objects';

/**
 * Documents that look like Kubernetes objects but lack apiVersion or kind
 * (reported when the file or its folder holds manifests, as kubectl rejects
 * them there), computed once per chunk text: an edit costs only its chunk.
 */
export function untypedOf(parsed: ParsedChunk, given: readonly DocumentType[] | undefined): UntypedFacts {
  const known = parsed.memo.get(UNTYPED_KEY) as UntypedFacts | undefined;
  if (known) return known;
  const types = given ?? typesOf(parsed.docs);
  let manifest = false;
  const diagnostics: Diagnostic[] = [];
  const docs = parsed.docs;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    if (types[i]) manifest = true;
    else if (doc.errors.length === 0 && isTypeCandidate(doc))
      reportMissingType(doc, (node, _doc, code, message) => {
        const range = node?.range ?? doc.range;
        diagnostics.push({
          range: parsed.lines.rangeAt(range[0], range[1]),
          severity: DiagnosticSeverity.Error,
          source: DIAGNOSTIC_SOURCE,
          code,
          message,
        });
      });
  }
  const facts = { manifest, diagnostics };
  parsed.memo.set(UNTYPED_KEY, facts);
  return facts;
}

/** Remembers `facts` as the chunk's (found elsewhere, e.g. by a worker for the same text). */
export function keepUntyped(parsed: ParsedChunk, facts: UntypedFacts): void {
  parsed.memo.set(UNTYPED_KEY, facts);
}
