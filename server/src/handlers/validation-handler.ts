import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { PiecedTextDocument as TextDocument } from '../document/pieced-text-document.js';
import type { TextPieces } from '../document/text-pieces.js';
import { isOtherToolFile } from '../document/other-tool-files.js';
import type { LanguageService } from '../language-service.js';
import { GitBaselines } from '../workspace/git-baseline.js';
import { logStep } from '../parallel/step-log.js';

/** Quiet time after an edit before the kustomizations it feeds render again. */
const RENDER_DELAY_MS = 40;

/** Files with more YAML documents than this publish their own findings before indexing on open. */
export const INDEX_AFTER_PUBLISH_OVER = 100;

/** A large file's preparation for its index between two turns of the event loop (what an edit waits at most). */
const PREPARE_SLICE_MS = 2;

/** After an edit of a file being prepared, no slice until the typing has paused this long... */
const PREPARE_AFTER_EDIT_MS = 30;
/** ...or this long after the last slice: it goes on (slowly) while the editor is typed in without a pause. */
const PREPARE_WHILE_TYPING_EVERY_MS = 100;

/** What the validation handler gives the other handlers. */
export interface ValidationHandler {
  /** Re-validates every open document (after a settings change). */
  readonly revalidateAll: () => void;
  /** Whether a document's first validation is under way (its index and cross-resource checks follow it). */
  readonly validatingFirst: (uri: string) => boolean;
}

/**
 * Publishes diagnostics when a document opens or changes and clears them when
 * it closes. A failure inside validation is logged and never takes the server
 * down: the document just keeps its previous diagnostics.
 */
export function registerValidationHandler(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
): ValidationHandler {
  /** Open documents validated with their cross-resource findings at least once. */
  const indexed = new Set<string>();
  /** Open documents whose first validation (in parallel, see below) has not published yet. */
  const first = new Set<string>();
  /** Of those, the ones whose committed version is read once it has published. */
  const baselineAfterFirst = new Set<string>();
  /** Of those, the ones that have published and are prepared for their index a slice at a time (by job). */
  const preparing = new Map<string, { edited: number; sliced: number }>();
  const validate = (document: TextDocument): void => {
    // Its first validation is under way: it validates again (in full) once that one is done.
    if (first.has(document.uri)) return;
    try {
      // The text's pieces (one object per version): the readers here read them piece by piece, an edit's
      // unchanged pieces are not read again and no string of the whole text is made.
      const text = document.content;
      const kustomize = service.kustomize;
      // First, so renders that read this file see its new text.
      kustomize.update(document.uri, text);
      let diagnostics;
      let indexAfterPublish = false;
      if (kustomize.isKustomization(document.uri)) {
        diagnostics = kustomize.diagnostics(document.uri, document.getText());
      } else if (kustomize.isPatch(document.uri)) {
        // A kustomization's patch: a partial object, checked for fields and types only.
        diagnostics = service.diagnostics(text, { asPatch: true });
      } else {
        // Per-document checks, then the cross-resource ones from the workspace index.
        diagnostics = service.diagnostics(text, { manifestsAround: manifestsAround(document.uri) });
        // A large file just opened: its own findings go out first, indexing it and the cross-resource ones right after.
        if (!indexed.has(document.uri) && service.parse(text).chunks.length > INDEX_AFTER_PUBLISH_OVER) {
          indexed.add(document.uri);
          indexAfterPublish = true;
        } else {
          indexed.add(document.uri);
          diagnostics.push(...service.workspace.diagnostics(document.uri, text));
        }
      }
      publish(document, text, diagnostics, indexAfterPublish);
    } catch (error) {
      connection.console.error(`validation of ${document.uri} failed: ${String(error)}`);
    }
  };
  // Among other manifests in its folder, an object without apiVersion or kind is an error (as kubectl says).
  const manifestsAround = (uri: string): boolean =>
    !isOtherToolFile(uri) && service.workspace.index.manifestsBeside(uri);
  /** Adds what every publish carries (immutable fields, kustomize renders) to a manifest file's own findings. */
  const publish = (
    document: TextDocument,
    text: string | TextPieces,
    diagnostics: Diagnostic[],
    indexAfterPublish: boolean,
    withBaseline = true,
  ): void => {
    const kustomize = service.kustomize;
    if (!kustomize.isKustomization(document.uri)) {
      if (!kustomize.isPatch(document.uri) && withBaseline)
        diagnostics.push(...service.immutableFields(text, baselines.get(document.uri)));
      // What the kustomizations reading this file render wrong, on its lines (once: not what its own checks say).
      const own = new Set(diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}:${d.code}`));
      for (const d of kustomize.renderedDiagnostics(document.uri))
        if (!own.has(`${d.range.start.line}:${d.range.start.character}:${d.code}`)) diagnostics.push(d);
    }
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    logStep('publish');
    if (indexAfterPublish) {
      // Queued after the publish's own write (the connection writes on the next turn of the event loop).
      const version = document.version;
      setImmediate(() => {
        const now = documents.get(document.uri);
        if (now?.version === version) validate(now);
      });
    }
    if (kustomize.hasStale()) scheduleRender();
  };
  /**
   * A large manifest file just opened: its chunks are checked on this thread and the validation
   * pool's worker at once, its own findings published, then indexed and cross-checked as above.
   * Whatever asks to validate it meanwhile (an edit, the end of the start-up scan, new settings) waits
   * for this one: the text is then validated again in full (a changed text's result is dropped).
   */
  const validateFirst = async (document: TextDocument): Promise<void> => {
    logStep('validateFirst');
    const { uri, version } = document;
    const text = document.getText();
    const kustomize = service.kustomize;
    kustomize.update(uri, text);
    if (kustomize.isKustomization(uri) || kustomize.isPatch(uri)) return validate(document);
    let diagnostics: Diagnostic[] | undefined;
    try {
      const around = { manifestsAround: manifestsAround(uri) };
      // The pieces (one, as opened): split here once, for the preparation and the first edit after.
      const soon = service.diagnosticsInParallel(document.content, around, INDEX_AFTER_PUBLISH_OVER + 1);
      // A small file: validated at once, with its cross-resource findings.
      if (soon === undefined) return validate(document);
      indexed.add(uri);
      first.add(uri);
      diagnostics = await soon;
    } catch (error) {
      connection.console.error(`validation of ${uri} failed: ${String(error)}`);
    }
    const now = documents.get(uri);
    if (now && diagnostics) {
      if (now.version === version) publish(now, text, diagnostics, false);
      // Changed meanwhile: the text as it is now, with the worker's findings for the chunks it checked.
      else publishSoon(now);
    }
    logStep('published');
    // Then (after the publish's write, queued first) prepared a slice at a time, indexed and cross-checked.
    prepareInSlices(uri);
  };
  /**
   * An edit of a file still being prepared (see below): its own findings at once, as its first publish
   * had them (the cross-resource ones and the immutable-field warnings follow once it is indexed).
   */
  const publishSoon = (document: TextDocument): void => {
    const { uri } = document;
    try {
      // The text's pieces: the readers here read them piece by piece, no string of the whole text is made.
      const text = document.content;
      const kustomize = service.kustomize;
      kustomize.update(uri, text);
      // Become a kustomization or a patch meanwhile: validated as such once prepared.
      if (kustomize.isKustomization(uri) || kustomize.isPatch(uri)) return;
      const diagnostics = service.diagnosticsWithoutParsing(text, { manifestsAround: manifestsAround(uri) });
      publish(document, text, diagnostics, false, false);
    } catch (error) {
      connection.console.error(`validation of ${uri} failed: ${String(error)}`);
    }
  };
  /**
   * A large file that has published its own findings: its chunks parsed (those the worker checked) and
   * indexed a slice at a time, each slice a turn of the event loop, so an edit that comes meanwhile is
   * published within a slice (`publishSoon`); then validated in full (indexed, cross-checked).
   */
  const prepareInSlices = (uri: string): void => {
    // `edited`: when the last edit came; `sliced`: when the last slice ran.
    const job = { edited: -Infinity, sliced: -Infinity };
    preparing.set(uri, job);
    const step = (): void => {
      const document = documents.get(uri);
      // Closed (and perhaps opened again: another job) meanwhile.
      if (preparing.get(uri) !== job) return;
      if (!document) {
        preparing.delete(uri);
        return;
      }
      const wait =
        Math.min(job.edited + PREPARE_AFTER_EDIT_MS, job.sliced + PREPARE_WHILE_TYPING_EVERY_MS) - performance.now();
      if (wait > 0) {
        setTimeout(step, wait);
        return;
      }
      let done = true;
      job.sliced = performance.now();
      try {
        done = service.prepareSlice(uri, document.content, performance.now() + PREPARE_SLICE_MS);
      } catch (error) {
        connection.console.error(`validation of ${uri} failed: ${String(error)}`);
      }
      if (!done) {
        setImmediate(step);
        return;
      }
      preparing.delete(uri);
      first.delete(uri);
      logStep('prepared');
      // Spawning git holds this thread (the fork of a large process: 10-100 ms on a busy VM): not in the way of
      // the first edits after the first publish, but once prepared; its answer validates the file again.
      if (baselineAfterFirst.delete(uri)) baselines.refresh(uri);
      validate(document);
    };
    setImmediate(step);
  };
  // The committed version of each open file, for the immutable-field warnings.
  const baselines = new GitBaselines((uri) => {
    const document = documents.get(uri);
    if (document) validate(document);
  });
  // After the document's first validation has started (spawning git takes a while); a large file's, after it
  // has published: spawning would hold this thread while the worker's findings wait to be read.
  documents.onDidOpen((event) =>
    setImmediate(() => {
      const { uri } = event.document;
      if (first.has(uri)) baselineAfterFirst.add(uri);
      else if (documents.get(uri)) baselines.refresh(uri);
    }),
  );
  documents.onDidSave((event) => baselines.refresh(event.document.uri));
  const validateAll = (): void => documents.all().forEach(validate);
  // Kustomizations a change feeds render once the typing pauses; their findings are then published everywhere.
  let renderTimer: NodeJS.Timeout | undefined;
  const scheduleRender = (): void => {
    clearTimeout(renderTimer);
    renderTimer = setTimeout(() => {
      try {
        if (service.kustomize.renderStale()) validateAll();
      } catch (error) {
        connection.console.error(`kustomize rendering failed: ${String(error)}`);
      }
    }, RENDER_DELAY_MS);
  };
  documents.onDidChangeContent((event) => {
    logStep('changed');
    const { uri } = event.document;
    // A document that defines CRDs changes how other documents validate.
    if (service.updateCrds(uri, event.document.content)) validateAll();
    else if (!indexed.has(uri)) void validateFirst(event.document);
    else if (preparing.has(uri)) {
      publishSoon(event.document);
      // The editor is being typed in: it goes first, the preparation goes on slowly until the typing pauses.
      preparing.get(uri)!.edited = performance.now();
    } else validate(event.document);
  });
  documents.onDidClose((event) => {
    indexed.delete(event.document.uri);
    first.delete(event.document.uri);
    preparing.delete(event.document.uri);
    baselineAfterFirst.delete(event.document.uri);
    baselines.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  return { revalidateAll: validateAll, validatingFirst: (uri) => first.has(uri) };
}
