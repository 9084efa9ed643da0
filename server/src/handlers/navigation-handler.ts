import type { Connection } from 'vscode-languageserver';
import type { LanguageService } from '../language-service.js';

/**
 * Go to definition and find references across the workspace: selectors to
 * the pods they select, Ingress backends to Services and their ports,
 * ConfigMap/Secret/PVC references to what they name, and back.
 */
export function registerNavigationHandler(connection: Connection, service: LanguageService): void {
  connection.onDefinition((params) => service.workspace.definition(params.textDocument.uri, params.position));
  connection.onReferences((params) =>
    service.workspace.references(params.textDocument.uri, params.position, params.context.includeDeclaration),
  );
}
