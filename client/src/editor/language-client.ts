import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/** Starts the language server (server/out/server.js) as a child process over IPC. */
export async function startLanguageClient(
  extension: vscode.ExtensionContext,
  output: vscode.OutputChannel,
): Promise<LanguageClient> {
  const module = extension.asAbsolutePath('server/out/server.js');
  // The server works offline (no TLS connection at all), so the certificates NODE_EXTRA_CA_CERTS names would only
  // be read at its start (~40-70 ms of CPU). The client merges this into the editor's environment: empty is unset.
  const env = { NODE_EXTRA_CA_CERTS: '' };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
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
