import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document, YAMLError } from 'yaml';

/** One `---` document of a file, with the offsets it covers in the file text. */
export interface ManifestDocument {
  readonly doc: Document.Parsed;
  readonly start: number;
  readonly end: number;
  /** `apiVersion` and `kind`, when both are plain strings at the top level. */
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
}

/** A parsed YAML file, split into its documents. */
export interface ManifestFile {
  readonly text: string;
  readonly documents: readonly ManifestDocument[];
  readonly lineCounter: LineCounter;
  /** True when the text holds Go/Helm template actions (`{{ ... }}`). */
  readonly templated: boolean;
}

const TEMPLATE_ACTION = /\{\{[\s\S]*?\}\}/;

/** Parses YAML text into documents; never throws on bad input. */
export function parseManifestFile(text: string): ManifestFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    keepSourceTokens: false,
  });
  // An empty stream parses to an EmptyStream, which is an array without documents.
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const documents = docs.map((doc) => {
    const [start, , end] = doc.range;
    return {
      doc,
      start,
      end,
      apiVersion: topLevelString(doc, 'apiVersion'),
      kind: topLevelString(doc, 'kind'),
    };
  });
  return { text, documents, lineCounter, templated: TEMPLATE_ACTION.test(text) };
}

function topLevelString(doc: Document.Parsed, key: string): string | undefined {
  try {
    const value: unknown = doc.get(key);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Errors the `yaml` package reported for one document. */
export function syntaxErrors(document: ManifestDocument): readonly YAMLError[] {
  return document.doc.errors;
}
