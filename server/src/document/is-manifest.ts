import type { Document } from 'yaml';
import { inferredType } from './list-items.js';

const API_VERSION_LINE = /^apiVersion\s*:/m;
const KIND_LINE = /^kind\s*:/m;

/** `apiVersion` and `kind` of a document, when both are strings at its top level. */
export function typeOf(doc: Document.Parsed): { apiVersion: string; kind: string } | undefined {
  const inferred = inferredType(doc);
  if (inferred) return inferred;
  const apiVersion = topLevelString(doc, 'apiVersion');
  const kind = topLevelString(doc, 'kind');
  return apiVersion !== undefined && kind !== undefined ? { apiVersion, kind } : undefined;
}

/**
 * A document is a Kubernetes manifest when it names both `apiVersion` and
 * `kind` at its top level. When the YAML is too broken to parse that far, the
 * raw text decides, so a syntax error in a manifest is still reported while
 * YAML that was never a manifest stays silent.
 */
export function isManifestDocument(doc: Document.Parsed, source: string): boolean {
  return typeOf(doc) !== undefined || namesTypeInText(doc, source);
}

/** `isManifestDocument` for a document without a `typeOf`: whether its raw text names both. */
export function namesTypeInText(doc: Document.Parsed, source: string): boolean {
  const [start, , end] = doc.range;
  const text = source.slice(start, end);
  return API_VERSION_LINE.test(text) && KIND_LINE.test(text);
}

function topLevelString(doc: Document.Parsed, key: string): string | undefined {
  try {
    const value: unknown = doc.get(key);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
