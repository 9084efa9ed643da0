import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { PiecedTextDocuments } from './document/pieced-text-document.js';
import { registerCodeLensHandler } from './handlers/code-lens-handler.js';
import { registerConfigurationHandler } from './handlers/configuration-handler.js';
import { registerLanguageFeaturesHandler } from './handlers/language-features-handler.js';
import { registerNavigationHandler } from './handlers/navigation-handler.js';
import { fanOutNotifications } from './handlers/notification-fan-out.js';
import { registerValidationHandler } from './handlers/validation-handler.js';
import { registerWorkspaceIndexHandler } from './handlers/workspace-index-handler.js';
import { MessageInFlight } from './handlers/message-in-flight.js';
import { createLanguageService } from './language-service.js';
import { ValidationPool } from './parallel/validation-pool.js';
import type { Worker } from 'node:worker_threads';
import { logStep } from './parallel/step-log.js';

/**
 * Runs the language server (server-entry.ts calls this once the bundle is loaded). `worker`: the
 * validation worker the entry started before loading this bundle (none: all on this thread).
 */
export function startServer(worker?: Worker): void {
  // The transport (IPC from VS Code, --stdio from other editors and
  // benchmarks) is chosen from the command line by vscode-languageserver.
  const connection = createConnection(ProposedFeatures.all);
  // Several handlers listen to `initialized` and file events: keep every registration.
  fanOutNotifications(connection);
  // Open documents' texts in pieces: an edit of a large file makes no new string of the whole file.
  const documents = new TextDocuments(PiecedTextDocuments);
  // The worker warms up while the server starts, then shares large files' first validation.
  const pool = worker ? new ValidationPool(worker) : undefined;
  const service = createLanguageService({}, pool ? { pool } : {});
  let supportsConfiguration = false;
  let workspaceFolders: string[] = [];

  connection.onInitialize((params) => {
    logStep('initialize');
    supportsConfiguration = params.capabilities.workspace?.configuration === true;
    workspaceFolders = (params.workspaceFolders ?? [])
      .filter((f) => f.uri.startsWith('file:'))
      .map((f) => fileURLToPath(f.uri));
    return {
      capabilities: {
        // Saves are reported too: a commit may have moved the baseline of the immutable-field warnings.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'kube-workbench', version: '0.1.0' },
    };
  });

  const { revalidateAll, validatingFirst } = registerValidationHandler(connection, documents, service);
  registerConfigurationHandler(connection, service, () => supportsConfiguration, revalidateAll);
  registerLanguageFeaturesHandler(connection, documents, service);
  // Background work waits while a message from the editor is partly received (over --stdio; see MessageInFlight).
  const inFlight = new MessageInFlight();
  registerWorkspaceIndexHandler(
    connection,
    documents,
    service,
    () => workspaceFolders,
    revalidateAll,
    validatingFirst,
    inFlight,
  );
  registerNavigationHandler(connection, service, documents);
  registerCodeLensHandler(connection, service);
  documents.listen(connection);
  connection.listen();
  if (process.argv.includes('--stdio')) inFlight.watch(process.stdin);
}

// Run directly (`node --import tsx server/src/server.ts --stdio`, as tests do): the server alone, no worker.
if (require.main === module) startServer();
