import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { TEMPLATE_ACTION } from './document/manifest-file.js';
import { folderOf, isOtherToolFile } from './document/other-tool-files.js';
import { SKAFFOLD_FILE } from './workspace/built-images.js';
import { TextLines } from './document/text-lines.js';
import { shiftDiagnostic } from './features/shift-diagnostic.js';
import type { LanguageService } from './language-service.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from './protocol/diagnostic-codes.js';
import { NotRegularFileError, readDocumentStream } from './read-document-stream.js';
import type { StreamedDocument } from './read-document-stream.js';
import { errorReason } from './read-manifest-files.js';
import type { UnreadablePath } from './read-manifest-files.js';
import { mayHoldCrd } from './schema/crd-registry.js';
import { isKustomizationFile } from './workspace/kustomization-entries.js';

/** What the first pass learns of a file without keeping its text. */
interface FileFacts {
  /** Go/Helm template actions: not YAML until rendered, so not checked. */
  templated: boolean;
  /** A document names apiVersion and kind at its top level. */
  hasManifests: boolean;
}

const API_VERSION_LINE = /^apiVersion\s*:/m;
const KIND_LINE = /^kind\s*:/m;

/**
 * `validate`'s checks on files of any size, reading each twice as a stream
 * of documents (memory bounded by the largest document, not the file): first
 * for the CRDs (which validate custom resources in every file), template
 * actions and which files hold manifests, then for the diagnostics of each
 * document, placed at its lines in the file. Bytes that are not UTF-8 are an
 * error at their position, as kubectl rejects them.
 */
export function checkFiles(
  service: LanguageService,
  files: readonly string[],
  report: (file: string, diagnostic: Diagnostic) => void,
  onDocument?: (file: string, document: StreamedDocument) => void,
): UnreadablePath[] {
  const unreadable: UnreadablePath[] = [];
  const facts = new Map<string, FileFacts>();
  for (const file of files) {
    const scanned = attempt(() => scan(service, file));
    if ('reason' in scanned) unreadable.push({ path: file, reason: scanned.reason });
    else facts.set(file, scanned);
  }
  // Kustomizations first: the files they use as patches are checked as patches (and indexed as none).
  const kustomizations = new Map<string, string>();
  for (const file of facts.keys()) {
    if (!isKustomizationFile(file)) continue;
    const text = attempt(() => ({ text: readFileSync(file, 'utf8') }));
    if ('text' in text) {
      kustomizations.set(file, text.text);
      service.kustomize.update(pathToFileURL(file).href, text.text);
    }
  }
  // Images a skaffold.yaml among the files builds are pinned by Run (no image-tag warning), as in the editor.
  for (const file of facts.keys()) {
    if (!SKAFFOLD_FILE.test(file)) continue;
    const text = attempt(() => ({ text: readFileSync(file, 'utf8') }));
    if ('text' in text) service.workspace.builtImages.update(pathToFileURL(file).href, text.text);
  }
  const manifestFiles = new Map<string, number>();
  for (const [file, f] of facts)
    if (f.hasManifests && !isOtherToolFile(file))
      manifestFiles.set(folderOf(file), (manifestFiles.get(folderOf(file)) ?? 0) + 1);

  for (const [file, f] of facts) {
    if (f.templated) continue;
    const kustomization = kustomizations.get(file);
    if (kustomization !== undefined) {
      for (const d of service.kustomize.diagnostics(pathToFileURL(file).href, kustomization)) report(file, d);
      continue;
    }
    const asPatch = service.kustomize.isPatch(pathToFileURL(file).href);
    const others = (manifestFiles.get(folderOf(file)) ?? 0) - (f.hasManifests && !isOtherToolFile(file) ? 1 : 0);
    const manifestsAround = f.hasManifests || (!isOtherToolFile(file) && others > 0);
    const found: Diagnostic[] = [];
    const done = attempt(() => {
      for (const doc of readDocumentStream(file)) {
        onDocument?.(file, doc);
        found.push(...documentDiagnostics(service, doc, manifestsAround, asPatch));
      }
      return {};
    });
    if ('reason' in done) unreadable.push({ path: file, reason: done.reason });
    else for (const d of found) report(file, d);
  }
  return unreadable;
}

function scan(service: LanguageService, file: string): FileFacts {
  const facts: FileFacts = { templated: false, hasManifests: false };
  let openAction = false;
  let index = 0;
  for (const doc of readDocumentStream(file)) {
    if (TEMPLATE_ACTION.test(doc.text) || (openAction && doc.text.includes('}}'))) facts.templated = true;
    if (doc.text.includes('{{')) openAction = true;
    if (API_VERSION_LINE.test(doc.text) && KIND_LINE.test(doc.text)) facts.hasManifests = true;
    // Each document its own source: a file's CRDs are learnt one document at a time.
    if (mayHoldCrd(doc.text)) service.updateCrds(`${file}#${index}`, doc.text);
    index++;
  }
  return facts;
}

function documentDiagnostics(
  service: LanguageService,
  doc: StreamedDocument,
  manifestsAround: boolean,
  asPatch = false,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (doc.problems.length > 0) {
    const lines = new TextLines(doc.text);
    for (const p of doc.problems)
      out.push({
        range: lines.rangeAt(p.offset, p.offset + 1),
        severity: DiagnosticSeverity.Error,
        source: DIAGNOSTIC_SOURCE,
        code: DiagnosticCode.invalidEncoding,
        message: `${p.message}: kubectl reads only UTF-8 (or UTF-16 with a byte order mark) and rejects this file ("yaml: ${p.message}")`,
      });
  }
  out.push(...service.diagnostics(doc.text, asPatch ? { asPatch } : { manifestsAround }));
  return out.map((d) => shiftDiagnostic(d, doc.startLine));
}

function attempt<T extends object>(work: () => T): T | { reason: string } {
  try {
    return work();
  } catch (error) {
    if (error instanceof NotRegularFileError) return { reason: `it is ${error.message}, not a regular file; skipped` };
    if ((error as NodeJS.ErrnoException).code === undefined && !(error instanceof RangeError)) throw error;
    return { reason: errorReason(error) };
  }
}
