import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { PiecedTextDocument as TextDocument } from '../document/pieced-text-document.js';
import type { LanguageService } from '../language-service.js';

/**
 * Hover, completion, code actions and the outline: each request adapted to the facade, failures logged, never
 * thrown. A manifest file is given as its pieces (one object per version, as the validation handler gives it):
 * a request after an edit parses only the chunks the edit changed and builds no string of the whole text.
 */
export function registerLanguageFeaturesHandler(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
): void {
  const guarded = <T>(what: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      connection.console.error(
        `${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return fallback;
    }
  };
  connection.onHover(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return null;
    return guarded('hover', null, () =>
      service.kustomize.isKustomization(textDocument.uri)
        ? service.kustomize.hover(textDocument.uri, document.getText(), document.offsetAt(position))
        : service.hover(document.content, document.offsetAt(position)),
    );
  });
  connection.onCompletion(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return guarded('completion', [], () =>
      service.kustomize.isKustomization(textDocument.uri)
        ? service.kustomize.complete(textDocument.uri, document.getText(), document.offsetAt(position))
        : service.complete(document.content, document.offsetAt(position)),
    );
  });
  connection.onCodeAction(({ textDocument, range, context }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return guarded('code actions', [], () =>
      service.codeActions(document.content, textDocument.uri, range, context.diagnostics),
    );
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return guarded('folding ranges', [], () => service.foldingRanges(document.content));
  });
  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return guarded('selection ranges', [], () => service.selectionRanges(document.content, positions));
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return guarded('document symbols', [], () => service.symbols(document.content));
  });
}
