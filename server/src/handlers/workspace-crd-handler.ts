import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../language-service.js';
import { mayHoldCrd } from '../schema/crd-registry.js';
import { findYamlFiles } from '../workspace/yaml-files.js';

/**
 * Keeps the language service's CRDs in step with the workspace: a scan of the
 * workspace folders at start, open documents as they change, and files the
 * client reports created, changed or deleted. Any change re-validates.
 */
export function registerWorkspaceCrdHandler(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  workspaceFolders: () => string[],
  revalidateAll: () => void,
): void {
  const readAndUpdate = async (uri: string): Promise<boolean> => {
    const open = documents.get(uri);
    if (open) return service.updateCrds(uri, open.getText());
    try {
      const text = await readFile(fileURLToPath(uri), 'utf8');
      return service.updateCrds(uri, mayHoldCrd(text) ? text : undefined);
    } catch {
      return service.updateCrds(uri, undefined);
    }
  };

  connection.onInitialized(() => {
    void (async () => {
      let changed = false;
      for (const folder of workspaceFolders()) {
        for (const path of await findYamlFiles(folder)) {
          if (await readAndUpdate(pathToFileURL(path).href)) changed = true;
        }
      }
      if (changed) revalidateAll();
    })().catch((error: unknown) => connection.console.error(`workspace scan failed: ${String(error)}`));
  });

  connection.onDidChangeWatchedFiles((params) => {
    void (async () => {
      let changed = false;
      for (const change of params.changes) {
        const updated =
          change.type === FileChangeType.Deleted
            ? service.updateCrds(change.uri, undefined)
            : await readAndUpdate(change.uri);
        changed ||= updated;
      }
      if (changed) revalidateAll();
    })();
  });
}
