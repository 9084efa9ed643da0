import type { ManifestDocument, ManifestFile } from './manifest-file.js';

const API_VERSION_LINE = /^apiVersion\s*:/m;
const KIND_LINE = /^kind\s*:/m;

/**
 * A document is a Kubernetes manifest when it names both `apiVersion` and
 * `kind` at its top level. When the YAML is too broken to parse that far, the
 * raw text of the document decides, so a syntax error in a manifest is still
 * reported while YAML that was never a manifest stays silent.
 */
export function isManifestDocument(file: ManifestFile, document: ManifestDocument): boolean {
  if (document.apiVersion !== undefined && document.kind !== undefined) return true;
  const source = file.text.slice(document.start, document.end);
  return API_VERSION_LINE.test(source) && KIND_LINE.test(source);
}
