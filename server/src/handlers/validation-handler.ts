import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isOtherToolFile } from '../document/other-tool-files.js';
import type { LanguageService } from '../language-service.js';
import { GitBaselines } from '../workspace/git-baseline.js';

/** Quiet time after an edit before the kustomizations it feeds render again. */
const RENDER_DELAY_MS = 40;

/** Files with more YAML documents than this publish their own findings before indexing on open. */
export const INDEX_AFTER_PUBLISH_OVER = 100;

/**
 * Publishes diagnostics when a document opens or changes and clears them when
 * it closes. A failure inside validation is logged and never takes the server
 * down: the document just keeps its previous diagnostics.
 * Returns a function that re-validates every open document (after a settings change).
 */
export function registerValidationHandler(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
): () => void {
  /** Open documents validated with their cross-resource findings at least once. */
  const indexed = new Set<string>();
  const validate = (document: TextDocument): void => {
    try {
      const text = document.getText();
      let indexAfterPublish = false;
      const kustomize = service.kustomize;
      // First, so renders that read this file see its new text.
      kustomize.update(document.uri, text);
      let diagnostics;
      if (kustomize.isKustomization(document.uri)) {
        diagnostics = kustomize.diagnostics(document.uri, text);
      } else if (kustomize.isPatch(document.uri)) {
        // A kustomization's patch: a partial object, checked for fields and types only.
        diagnostics = service.diagnostics(text, { asPatch: true });
      } else {
        // Per-document checks, then the cross-resource ones from the workspace index.
        // Among other manifests in its folder, an object without apiVersion or kind is an error (as kubectl says).
        const manifestsAround = !isOtherToolFile(document.uri) && service.workspace.index.manifestsBeside(document.uri);
        diagnostics = [
          ...service.diagnostics(text, { manifestsAround }),
          ...service.immutableFields(text, baselines.get(document.uri)),
        ];
        // A large file just opened: its own findings go out first, indexing it and the cross-resource ones right after.
        if (!indexed.has(document.uri) && service.parse(text).chunks.length > INDEX_AFTER_PUBLISH_OVER) {
          indexed.add(document.uri);
          indexAfterPublish = true;
        } else {
          indexed.add(document.uri);
          diagnostics.push(...service.workspace.diagnostics(document.uri, text));
        }
      }
      if (!kustomize.isKustomization(document.uri)) {
        // What the kustomizations reading this file render wrong, on its lines (once: not what its own checks say).
        const own = new Set(diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}:${d.code}`));
        for (const d of kustomize.renderedDiagnostics(document.uri))
          if (!own.has(`${d.range.start.line}:${d.range.start.character}:${d.code}`)) diagnostics.push(d);
      }
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
      if (indexAfterPublish) {
        // Queued after the publish's own write (the connection writes on the next turn of the event loop).
        const version = document.version;
        setImmediate(() => {
          const now = documents.get(document.uri);
          if (now?.version === version) validate(now);
        });
      }
      if (kustomize.hasStale()) scheduleRender();
    } catch (error) {
      connection.console.error(`validation of ${document.uri} failed: ${String(error)}`);
    }
  };
  // The committed version of each open file, for the immutable-field warnings.
  const baselines = new GitBaselines((uri) => {
    const document = documents.get(uri);
    if (document) validate(document);
  });
  documents.onDidOpen((event) => baselines.refresh(event.document.uri));
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
    // A document that defines CRDs changes how other documents validate.
    if (service.updateCrds(event.document.uri, event.document.getText())) validateAll();
    else validate(event.document);
  });
  documents.onDidClose((event) => {
    indexed.delete(event.document.uri);
    baselines.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  return validateAll;
}
