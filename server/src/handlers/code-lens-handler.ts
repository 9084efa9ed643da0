import type { CodeLens, Connection } from 'vscode-languageserver';
import { CodeLensRefreshRequest } from 'vscode-languageserver';
import type { LanguageService } from '../language-service.js';

/** Lenses for one document. More providers (Run, Delete, Diff) join the list. */
export type CodeLensProvider = (service: LanguageService, uri: string) => CodeLens[];

/** The lenses shown above each manifest document, in order. */
export const CODE_LENS_PROVIDERS: readonly CodeLensProvider[] = [
  // "N references": the resources in the workspace that reference this one.
  (service, uri) => service.workspace.codeLenses(uri),
];

/** Answers `textDocument/codeLens` with every provider's lenses; a failing provider only loses its own. */
export function registerCodeLensHandler(
  connection: Connection,
  service: LanguageService,
  providers: readonly CodeLensProvider[] = CODE_LENS_PROVIDERS,
): void {
  // Lenses count references in other files: ask the editor to re-request them when the index changes.
  let timer: NodeJS.Timeout | undefined;
  service.workspace.onDidChange(() => {
    clearTimeout(timer);
    timer = setTimeout(() => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined), 200);
  });
  connection.onCodeLens((params) =>
    providers.flatMap((provide) => {
      try {
        return provide(service, params.textDocument.uri);
      } catch (error) {
        connection.console.error(`code lenses for ${params.textDocument.uri} failed: ${String(error)}`);
        return [];
      }
    }),
  );
}
