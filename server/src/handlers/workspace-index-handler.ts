import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import type { PiecedTextDocument as TextDocument } from '../document/pieced-text-document.js';
import type { TextPieces } from '../document/text-pieces.js';
import type { LanguageService } from '../language-service.js';
import { MAX_FILE_LENGTH } from '../language-service.js';
import { parseManifestFileInSlices } from '../document/parse-in-slices.js';
import { decodeFileBytes } from '../document/byte-decoder.js';
import { scanFolders } from '../workspace/scan-folders.js';
import { editorKustomizeHost } from '../workspace/kustomize-host.js';
import type { MessageInFlight } from './message-in-flight.js';

/** Edits in quick succession re-publish other documents' diagnostics once. */
const REPUBLISH_DELAY_MS = 60;

/** The scan's parsing between two turns of the event loop (a message's next 64 kB read waits at most this). */
const SCAN_SLICE_MS = 2;

/** A turn of the event loop. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Keeps the workspace index in step with the workspace: every `.yaml`/`.yml`
 * file of the workspace folders at start (cross-resource diagnostics wait
 * for it), open documents from the editor's text (which wins over the disk),
 * and files the client reports created, changed or deleted (a rename is a
 * delete and a create). The same reads feed the CRDs that custom resources
 * validate against, so the workspace is read once. When what other documents see changes, every open
 * document's diagnostics are re-published.
 */
export function registerWorkspaceIndexHandler(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  workspaceFolders: () => string[],
  revalidateAll: () => void,
  validatingFirst: (uri: string) => boolean = () => false,
  inFlight?: MessageInFlight,
): void {
  const workspace = service.workspace;
  let timer: NodeJS.Timeout | undefined;
  const republish = (): void => {
    if (workspace.scanning) return;
    clearTimeout(timer);
    timer = setTimeout(revalidateAll, REPUBLISH_DELAY_MS);
  };
  workspace.onDidChange(republish);

  /**
   * Indexes a file from the open editor, or else from disk (gone or unreadable:
   * forgotten), and learns the CRDs it defines (custom resources validate against them).
   */
  const refreshes = new Map<string, number>();
  const refresh = async (uri: string): Promise<void> => {
    const open = documents.get(uri);
    if (open) {
      // Its first validation indexes it once it has published (this thread's time goes to that publish first).
      if (validatingFirst(uri)) return;
      kustomizeUpdate(uri, open.content);
      workspace.update(uri, open.content, true);
      if (service.updateCrds(uri, open.content)) republish();
      return;
    }
    // A later refresh of the same file (it changed again on disk) supersedes this one.
    const generation = (refreshes.get(uri) ?? 0) + 1;
    refreshes.set(uri, generation);
    const superseded = (): boolean => refreshes.get(uri) !== generation;
    let text: string | undefined;
    if (uri.startsWith('file:')) {
      let bytes: Buffer | undefined;
      try {
        bytes = await readFile(fileURLToPath(uri));
      } catch {
        bytes = undefined;
      }
      // Opened while it was read: the editor's text wins, parsed once through the shared cache. Not decoded
      // first: a large file's decode (5 ms a MB, cold) would hold back the first publish of that very file.
      if (documents.get(uri)) return refresh(uri);
      try {
        // UTF-16 with a byte order mark is read as VS Code and kubectl read it; a UTF-8 one is dropped.
        text = bytes && decodeFileBytes(bytes);
      } catch {
        text = undefined;
      }
    }
    // Parsed a slice at a time, never while a message from the editor is partly received: its requests
    // (its didOpen of this very file, 1 MB in 64 kB reads) go first.
    const breather = async (): Promise<void> => {
      await nextTurn();
      await inFlight?.settled();
    };
    const parsed =
      text === undefined || text.length > MAX_FILE_LENGTH || service.kustomize.isPatch(uri)
        ? undefined
        : await parseManifestFileInSlices(
            text,
            () => documents.get(uri) !== undefined || superseded(),
            SCAN_SLICE_MS,
            breather,
          );
    if (documents.get(uri)) return refresh(uri);
    if (superseded()) return;
    kustomizeUpdate(uri, text);
    workspace.update(uri, text, false, parsed);
    if (service.updateCrds(uri, text)) republish();
  };
  /**
   * A kustomization's change can make files patches (or no longer): those are
   * indexed again (patches are not resources) and every document re-checked.
   */
  const kustomizeUpdate = (uri: string, text: string | TextPieces | undefined): void => {
    service.kustomize.update(uri, text);
  };
  service.kustomize.onDidChange(({ patches }) => {
    for (const file of patches) void refresh(file);
    republish();
  });
  service.kustomize.setHost(editorKustomizeHost((path) => documents.get(pathToFileURL(path).href)?.getText()));

  connection.onInitialized(() => {
    workspace.scanning = true;
    void scanFolders(workspaceFolders(), refresh)
      .catch((error: unknown) => connection.console.error(`workspace index scan failed: ${String(error)}`))
      .finally(() => {
        workspace.scanning = false;
        revalidateAll();
      });
  });

  // After the validation handler's publish (which indexes the text itself, once per text): this only catches up.
  documents.onDidChangeContent((event) => {
    const { uri, version } = event.document;
    setImmediate(() => {
      const now = documents.get(uri);
      // A first validation in flight indexes the text itself once it has published (not before: it waits on a worker).
      if (now?.version !== version || validatingFirst(uri)) return;
      kustomizeUpdate(uri, now.content);
      workspace.update(uri, now.content, true);
    });
  });
  // A closed document falls back to what is on disk (its unsaved edits are gone).
  documents.onDidClose((event) => void refresh(event.document.uri));

  connection.onDidChangeWatchedFiles((params) => {
    void (async () => {
      for (const change of params.changes) {
        if (change.type === FileChangeType.Deleted && !documents.get(change.uri)) {
          kustomizeUpdate(change.uri, undefined);
          workspace.update(change.uri, undefined);
          if (service.updateCrds(change.uri, undefined)) republish();
        } else await refresh(change.uri);
      }
    })().catch((error: unknown) => connection.console.error(`workspace index update failed: ${String(error)}`));
  });
}
