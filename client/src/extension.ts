import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { Ctx } from './ctx.js';
import { startLanguageClient } from './language-client.js';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const started = Date.now();
  ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  registerCommands(ctx);
  try {
    const client = await startLanguageClient(extension, ctx.output);
    ctx.setClient(client);
    ctx.push({ dispose: () => void client.stop() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`language server failed to start: ${message}`);
    void vscode.window.showErrorMessage(
      `Kube Workbench: the language server failed to start (${message}). Run "Kube Workbench: Show Output" for details.`,
    );
  }
  ctx.log(`activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
