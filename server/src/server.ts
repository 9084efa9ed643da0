import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerValidationHandler } from './handlers/validation-handler.js';
import { createLanguageService } from './language-service.js';

// The connection's transport (IPC from VS Code, --stdio from other editors
// and benchmarks) is chosen from the command line by vscode-languageserver.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = createLanguageService();

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'kube-workbench', version: '0.1.0' },
}));

registerValidationHandler(connection, documents, service);
documents.listen(connection);
connection.listen();
