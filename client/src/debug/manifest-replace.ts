/**
 * The manifest text to apply when a workload is rewritten for debugging: the
 * same text with that one document replaced (the file on disk is not
 * changed). No `vscode` and no I/O here.
 */
import { stringify } from 'yaml';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';

/** The source with one document replaced by `object` (the file on disk is left alone). */
export function sourceWithObject<S extends { text: string }>(source: S, object: ManifestObject): S | string {
  const parsed = parseManifests(source.text);
  const same = parsed.documents.filter(
    (d) => d.object.kind === object.kind && d.object.metadata.name === object.metadata.name,
  );
  const doc = same[0];
  if (!doc || same.length > 1) return `cannot find ${object.kind} ${object.metadata.name ?? ''} once in the manifest`;
  if (parsed.documents.some((d) => d !== doc && d.start === doc.start))
    return 'cannot rewrite a workload inside a List: put it in a document of its own';
  // A document's range starts at its `---` line, when it has one: keep that line.
  const marker = /^---[^\n]*\n/.exec(source.text.slice(doc.start, doc.end))?.[0] ?? '';
  const text = `${source.text.slice(0, doc.start)}${marker}${stringify(object)}${source.text.slice(doc.end)}`;
  return { ...source, text };
}
