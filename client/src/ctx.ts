import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/**
 * The extension's state. It owns every disposable the extension creates, so
 * deactivation releases all of them in reverse order of creation.
 */
export class Ctx implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = this.push(vscode.window.createOutputChannel('Kube Workbench'));
  }

  push<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  setClient(client: LanguageClient | undefined): void {
    this.languageClient = client;
  }

  log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (error) {
        console.error('kube-workbench: dispose failed', error);
      }
    }
  }
}
