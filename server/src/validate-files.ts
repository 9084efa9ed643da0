import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isToolConfig } from '../kube-model/kinds.js';
import { casesOf, type Case } from './cli/junit-report.js';
import { TEMPLATE_ACTION } from './document/manifest-file.js';
import type { ManifestFile } from './document/manifest-file.js';
import { folderOf, isOtherToolFile } from './document/other-tool-files.js';
import { SKAFFOLD_FILE } from './workspace/built-images.js';
import { TextLines } from './document/text-lines.js';
import { shiftDiagnostic } from './features/shift-diagnostic.js';
import type { LanguageService } from './language-service.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from './protocol/diagnostic-codes.js';
import { NotRegularFileError, READ_BLOCK, readDocumentStream } from './read-document-stream.js';
import type { StreamedDocument } from './read-document-stream.js';
import { errorReason } from './read-manifest-files.js';
import type { UnreadablePath } from './read-manifest-files.js';
import { mayHoldCrd } from './schema/crd-registry.js';
import { extractResources } from './workspace/extract-resources.js';
import type { IndexedResource } from './workspace/indexed-resource.js';
import { isKustomizationFile } from './workspace/kustomization-entries.js';

/** What the first pass learns of a file without keeping its text. */
export interface FileFacts {
  /** Go/Helm template actions: not YAML until rendered, so not checked. */
  templated: boolean;
  /** A document names apiVersion and kind at its top level. */
  hasManifests: boolean;
}

/**
 * What every file's check needs to know of the others, learnt by the first
 * pass: plain data, so a worker thread can be given it and check any file as
 * the main thread would.
 */
export interface CheckContext {
  /** CRD documents: [source, text], in file order. */
  readonly crds: readonly (readonly [string, string])[];
  /** Kustomization files and their text (their patches are checked as patches). */
  readonly kustomizations: readonly (readonly [string, string])[];
  /** skaffold.yaml files and their text (the images they build get no image-tag warning). */
  readonly skaffolds: readonly (readonly [string, string])[];
  /** Folder -> how many files in it hold manifests (other tools' files not counted). */
  readonly manifestFolders: readonly (readonly [string, number])[];
  /** Whether the checks record each document as a JUnit test case. */
  readonly junit: boolean;
}

/** One file to check: what the first pass learnt of it, and its URI in the workspace index (none: not indexed). */
export interface FileTask {
  readonly file: string;
  readonly facts: FileFacts;
  readonly indexUri: string | undefined;
}

/** What checking one file found; `reason` when it could not be read (then nothing else counts). */
export interface FileResult {
  readonly diagnostics: Diagnostic[];
  readonly cases: Case[];
  /** Its entries for the workspace index (`undefined`: not indexed). */
  readonly resources: IndexedResource[] | undefined;
  readonly reason?: string;
}

export interface Scanned {
  readonly tasks: FileTask[];
  readonly unreadable: UnreadablePath[];
  readonly context: CheckContext;
  /**
   * The documents of the files the first pass kept (small files, up to a budget), so the checks on this
   * thread do not read them again; each is dropped once checked. Not for other threads: they read the file.
   */
  readonly kept: KeptDocuments;
}

/** File -> its documents as the first pass read them. */
export type KeptDocuments = Map<string, readonly StreamedDocument[]>;

/** Files up to this many characters are kept between the passes... */
const KEEP_FILE_LIMIT = 1024 * 1024;
/** ...while all kept files hold no more than this many (a large workspace streams the rest twice). */
export const KEEP_BUDGET = 16 * 1024 * 1024;

const API_VERSION_LINE = /^apiVersion\s*:/m;
const KIND_LINE = /^kind\s*:/m;

/**
 * `validate`'s first pass over files of any size, each read as a stream of
 * documents (memory bounded by the largest document, not the file): the CRDs
 * (which validate custom resources in every file), template actions, which
 * files hold manifests, kustomizations and skaffold files. Applied to
 * `service` as it goes, and returned as data for other threads.
 */
export function scanFiles(
  service: LanguageService,
  files: readonly string[],
  /** A file's URI in the workspace index (`undefined`: not indexed). */
  indexUri: (file: string) => string | undefined,
  junit = false,
): Scanned {
  const unreadable: UnreadablePath[] = [];
  const tasks: FileTask[] = [];
  const crds: [string, string][] = [];
  const kept: KeptDocuments = new Map();
  let budget = KEEP_BUDGET;
  for (const file of files) {
    const scanned = scanFile(file, crds, budget);
    if ('reason' in scanned) unreadable.push({ path: file, reason: scanned.reason });
    else {
      tasks.push({ file, facts: scanned.facts, indexUri: indexUri(file) });
      if (scanned.documents) {
        kept.set(file, scanned.documents);
        budget -= scanned.length;
      }
    }
  }
  return { tasks, unreadable, context: contextOf(service, tasks, crds, junit), kept };
}

/** One file's first pass (`scan` below), or why it could not be read; its documents kept within `budget`. */
export function scanFile(
  file: string,
  crds: [string, string][],
  budget: number,
): { facts: FileFacts; documents: StreamedDocument[] | undefined; length: number } | { reason: string } {
  return attempt(() => scan(file, crds, Math.min(budget, KEEP_FILE_LIMIT)));
}

/**
 * What the checks need of all the files, from the first pass's tasks (in file order) and CRDs (in file
 * order); applied to `service`.
 */
export function contextOf(
  service: LanguageService,
  tasks: readonly FileTask[],
  crds: readonly (readonly [string, string])[],
  junit: boolean,
): CheckContext {
  // Kustomizations first: the files they use as patches are checked as patches (and indexed as none).
  const kustomizations: [string, string][] = [];
  const skaffolds: [string, string][] = [];
  for (const { file } of tasks) {
    if (!isKustomizationFile(file)) continue;
    const text = attempt(() => ({ text: readFileSync(file, 'utf8') }));
    if ('text' in text) kustomizations.push([file, text.text]);
  }
  // Images a skaffold.yaml among the files builds are pinned by Run (no image-tag warning), as in the editor.
  for (const { file } of tasks) {
    if (!SKAFFOLD_FILE.test(file)) continue;
    const text = attempt(() => ({ text: readFileSync(file, 'utf8') }));
    if ('text' in text) skaffolds.push([file, text.text]);
  }
  const folders = new Map<string, number>();
  for (const { file, facts } of tasks)
    if (facts.hasManifests && !isOtherToolFile(file))
      folders.set(folderOf(file), (folders.get(folderOf(file)) ?? 0) + 1);
  const context: CheckContext = { crds, kustomizations, skaffolds, manifestFolders: [...folders], junit };
  applyContext(service, context);
  return context;
}

/** Teaches a (worker's) language service what the first pass learnt. */
export function applyContext(service: LanguageService, context: CheckContext): void {
  for (const [source, text] of context.crds) service.updateCrds(source, text);
  for (const [file, text] of context.kustomizations) service.kustomize.update(pathToFileURL(file).href, text);
  for (const [file, text] of context.skaffolds) service.workspace.builtImages.update(pathToFileURL(file).href, text);
}

/**
 * Where a file's results go as each document is checked (the single thread's
 * path), instead of into its `FileResult`: nothing of a document is kept but
 * what these keep.
 */
export interface FileSink {
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  cases(cases: readonly Case[]): void;
  /** What of a document's index entries to keep (a copy whose strings no longer hold its text). */
  resources(resources: IndexedResource[]): IndexedResource[];
}

/**
 * The second pass, one file at a time: each document's diagnostics, placed at
 * its lines in the file, its JUnit cases and its workspace index entries,
 * reading the file again as a stream. Bytes that are not UTF-8 are an error at
 * their position, as kubectl rejects them. Given a sink, diagnostics and cases
 * go to it document by document (the result then has none).
 */
export function createFileChecker(
  service: LanguageService,
  context: CheckContext,
  kept?: KeptDocuments,
): (task: FileTask, sink?: FileSink) => FileResult {
  const kustomizations = new Map(context.kustomizations);
  const folders = new Map(context.manifestFolders);
  return ({ file, facts: f, indexUri }, sink) => {
    // The first pass's reading of the file, if it kept it (then this is its only use).
    const documents = kept?.get(file);
    kept?.delete(file);
    const diagnostics: Diagnostic[] = [];
    const cases: Case[] = [];
    const out: FileSink = sink ?? {
      diagnostics: (ds) => diagnostics.push(...ds),
      cases: (cs) => cases.push(...cs),
      resources: (rs) => rs,
    };
    // Templated files are not YAML until rendered: not checked, and not indexed.
    if (f.templated) return { diagnostics, cases, resources: indexUri === undefined ? undefined : [] };
    const kustomization = kustomizations.get(file);
    if (kustomization !== undefined) {
      out.diagnostics(service.kustomize.diagnostics(pathToFileURL(file).href, kustomization));
      const resources =
        indexUri === undefined ? undefined : out.resources(indexEntries(indexUri, service.parse(kustomization)));
      return { diagnostics, cases, resources };
    }
    // The index's URI of a file is its file URL (made once per file: this and `isPatch` showed in profiles).
    const uri = indexUri?.startsWith('file:') ? indexUri : pathToFileURL(file).href;
    const asPatch = service.kustomize.isPatch(uri);
    const others = (folders.get(folderOf(file)) ?? 0) - (f.hasManifests && !isOtherToolFile(file) ? 1 : 0);
    const manifestsAround = f.hasManifests || (!isOtherToolFile(file) && others > 0);
    const indexed = indexUri !== undefined && !(indexUri === uri ? asPatch : service.kustomize.isPatch(indexUri));
    const resources: IndexedResource[] | undefined = indexUri === undefined ? undefined : [];
    const done = attempt(() => {
      for (const doc of documents ?? readDocumentStream(file)) {
        if (context.junit) out.cases(casesOf(service.parse(doc.text), doc.startLine));
        out.diagnostics(documentDiagnostics(service, doc, manifestsAround, asPatch));
        if (indexed && indexUri !== undefined)
          resources?.push(...out.resources(indexEntries(indexUri, shifted(service.parse(doc.text), doc.startLine))));
      }
      return {};
    });
    if ('reason' in done) return { diagnostics: [], cases: [], resources: undefined, reason: done.reason };
    return { diagnostics, cases, resources };
  };
}

/** The workspace index's entries of a document, as `workspace.update` makes them of a whole file. */
function indexEntries(uri: string, file: ManifestFile): IndexedResource[] {
  if (file.templated) return [];
  return extractResources(uri, file).filter((r) => !isToolConfig(r.apiVersion));
}

/** A document's parse placed at its line in the file. */
function shifted(file: ManifestFile, startLine: number): ManifestFile {
  if (startLine === 0) return file;
  return {
    ...file,
    chunks: file.chunks.map(({ chunk, parsed }) => ({
      chunk: { ...chunk, startLine: chunk.startLine + startLine },
      parsed,
    })),
  };
}

/**
 * `validate`'s checks on files of any size in this thread, in file order (the
 * first pass, then the second): the tests' and a single job's path.
 */
export function checkFiles(
  service: LanguageService,
  files: readonly string[],
  report: (file: string, diagnostic: Diagnostic) => void,
): UnreadablePath[] {
  const { tasks, unreadable, context, kept } = scanFiles(service, files, () => undefined);
  const check = createFileChecker(service, context, kept);
  for (const task of tasks) {
    const result = check(task);
    if (result.reason !== undefined) unreadable.push({ path: task.file, reason: result.reason });
    else for (const d of result.diagnostics) report(task.file, d);
  }
  return unreadable;
}

/** A file's facts, and its documents if they hold at most `keep` characters. */
function scan(
  file: string,
  crds: [string, string][],
  keep: number,
): { facts: FileFacts; documents: StreamedDocument[] | undefined; length: number } {
  const facts: FileFacts = { templated: false, hasManifests: false };
  let openAction = false;
  let index = 0;
  let documents: StreamedDocument[] | undefined = [];
  let length = 0;
  for (const doc of readDocumentStream(file, READ_BLOCK)) {
    length += doc.text.length;
    if (length > keep) documents = undefined;
    documents?.push(doc);
    if (TEMPLATE_ACTION.test(doc.text) || (openAction && doc.text.includes('}}'))) facts.templated = true;
    if (doc.text.includes('{{')) openAction = true;
    if (API_VERSION_LINE.test(doc.text) && KIND_LINE.test(doc.text)) facts.hasManifests = true;
    // Each document its own source: a file's CRDs are learnt one document at a time.
    if (mayHoldCrd(doc.text)) crds.push([`${file}#${index}`, doc.text]);
    index++;
  }
  return { facts, documents, length };
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
