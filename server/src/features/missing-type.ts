import { isMap, isScalar } from 'yaml';
import type { Document, Node } from 'yaml';
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
