import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isMap, isScalar } from 'yaml';
import type { Document, Node } from 'yaml';
import { typeOf } from '../document/is-manifest.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';
import type { DocumentChunk } from '../document/split-documents.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';
import { shiftDiagnostic } from './shift-diagnostic.js';
import { nodeAt, valueAt } from '../document/node-at.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';

/** Kinds of other tools that kubectl never sees (kustomize's own files name no apiVersion). */
const OTHER_TOOLS = new Set(['Kustomization', 'Component']);

/**
 * Whether a document without a full type still looks like a Kubernetes
 * object: it names `apiVersion` or `kind` at its top level, or holds both
 * `metadata` and `spec`.
 */
export function isTypeCandidate(doc: Document.Parsed): boolean {
  const root = doc.contents;
  if (!isMap(root)) return false;
  const keys = new Set(root.items.map((p) => (isScalar(p.key) ? p.key.value : undefined)));
  const kind = valueAt(doc, ['kind']);
  if (typeof kind === 'string' && OTHER_TOOLS.has(kind)) return false;
  return keys.has('apiVersion') || keys.has('kind') || (keys.has('metadata') && keys.has('spec'));
}

type Report = (node: Node | undefined, doc: Document.Parsed, code: string, message: string) => void;

/**
 * What kubectl says of an object without its type ("apiVersion not set",
 * "kind not set", or "... isn't string type"), each on the line of the key
 * beside it, or the object's first line.
 */
export function reportMissingType(doc: Document.Parsed, report: Report): void {
  const root = doc.contents;
  const first = isMap(root) ? ((root.items[0]?.key as Node | null) ?? undefined) : undefined;
  const keyNode = (key: string): Node | undefined => {
    if (!isMap(root)) return undefined;
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    return pair?.key ?? undefined;
  };
  for (const [key, other, code] of [
    ['apiVersion', 'kind', DiagnosticCode.apiVersionNotSet],
    ['kind', 'apiVersion', DiagnosticCode.kindNotSet],
  ] as const) {
    const value = valueAt(doc, [key]);
    if (value === undefined || value === null || value === '')
      report(keyNode(key) ?? keyNode(other) ?? first, doc, code, `${key} not set`);
    else if (typeof value !== 'string') report(nodeAt(doc, [key]), doc, code, `${key} isn't string type`);
  }
}

/**
 * Documents that look like Kubernetes objects but lack apiVersion or kind,
 * among manifests (in this file, or in its folder): kubectl rejects them
 * ("apiVersion not set", "kind not set"), where alone they may be any YAML.
 */
export function untypedObjects(file: ManifestFile, manifestsAround: boolean): Diagnostic[] {
  const candidates: { chunk: DocumentChunk; parsed: ParsedChunk; doc: Document.Parsed }[] = [];
  let manifests = manifestsAround;
  for (const { chunk, parsed } of file.chunks)
    for (const doc of parsed.docs) {
      if (typeOf(doc)) manifests = true;
      else if (doc.errors.length === 0 && isTypeCandidate(doc)) candidates.push({ chunk, parsed, doc });
    }
  if (!manifests) return [];
  const out: Diagnostic[] = [];
  for (const { chunk, parsed, doc } of candidates)
    reportMissingType(doc, (node, _doc, code, message) => {
      const range = node?.range ?? doc.range;
      out.push(
        shiftDiagnostic(
          {
            range: parsed.lines.rangeAt(range[0], range[1]),
            severity: DiagnosticSeverity.Error,
            source: DIAGNOSTIC_SOURCE,
            code,
            message,
          },
          chunk.startLine,
        ),
      );
    });
  return out;
}
