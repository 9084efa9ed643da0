import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerConfigurationHandler } from './handlers/configuration-handler.js';
import { registerLanguageFeaturesHandler } from './handlers/language-features-handler.js';
import { registerValidationHandler } from './handlers/validation-handler.js';
import { registerWorkspaceCrdHandler } from './handlers/workspace-crd-handler.js';
import { createLanguageService } from './language-service.js';

// The transport (IPC from VS Code, --stdio from other editors and
// benchmarks) is chosen from the command line by vscode-languageserver.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = createLanguageService();
let supportsConfiguration = false;
let workspaceFolders: string[] = [];

connection.onInitialize((params) => {
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? [])
    .filter((f) => f.uri.startsWith('file:'))
    .map((f) => fileURLToPath(f.uri));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'] },
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'kube-workbench', version: '0.1.0' },
  };
});

const revalidateAll = registerValidationHandler(connection, documents, service);
registerConfigurationHandler(connection, service, () => supportsConfiguration, revalidateAll);
registerLanguageFeaturesHandler(connection, documents, service);
registerWorkspaceCrdHandler(connection, documents, service, () => workspaceFolders, revalidateAll);
documents.listen(connection);
connection.listen();
