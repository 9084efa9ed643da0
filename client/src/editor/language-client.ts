import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/** Starts the language server (server/out/server.js) as a child process over IPC. */
export async function startLanguageClient(
  extension: vscode.ExtensionContext,
  output: vscode.OutputChannel,
): Promise<LanguageClient> {
  const module = extension.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // Read-only YAML of cluster objects (explorer/resource-documents.ts).
      { scheme: 'kube-workbench', language: 'yaml' },
    ],
    outputChannel: output,
    // CRDs in any YAML file of the workspace change how custom resources validate.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,Kustomization}') },
  };
  const client = new LanguageClient('kubeWorkbench', 'Kube Workbench', serverOptions, clientOptions);
  await client.start();
  return client;
}
