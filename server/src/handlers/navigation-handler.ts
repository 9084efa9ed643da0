import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../language-service.js';

/**
 * Go to definition and find references across the workspace: selectors to
 * the pods they select, Ingress backends to Services and their ports,
 * ConfigMap/Secret/PVC references to what they name, and back.
 */
export function registerNavigationHandler(
  connection: Connection,
  service: LanguageService,
  documents: TextDocuments<TextDocument>,
): void {
  connection.onDefinition((params) => {
    const { uri } = params.textDocument;
    const text = documents.get(uri)?.getText();
    // In a kustomization, a path opens its file and a target the resources it selects; a patch opens what it patches.
    if (text !== undefined && (service.kustomize.isKustomization(uri) || service.kustomize.isPatch(uri)))
      return service.kustomize.definition(uri, text, params.position);
    return service.workspace.definition(uri, params.position);
  });
  connection.onReferences((params) =>
    service.workspace.references(params.textDocument.uri, params.position, params.context.includeDeclaration),
  );
}
