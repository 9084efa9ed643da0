import * as vscode from 'vscode';

export const RESOURCE_SCHEME = 'kube-workbench';

/**
 * Read-only documents under the `kube-workbench:` scheme: an object's YAML
 * (with the language server's features), describe output, live cluster
 * objects for diffs, and logs that grow as lines arrive.
 */
export class ResourceDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  uri(path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RESOURCE_SCHEME, path });
  }

  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  /** Appends (log lines); the document is refreshed at most every 200 ms. */
  append(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    this.contents.set(key, (this.contents.get(key) ?? '') + text);
    this.pending.add(key);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const k of this.pending) this.emitter.fire(vscode.Uri.parse(k));
      this.pending.clear();
    }, 200);
  }

  async open(uri: vscode.Uri, text: string, language = 'yaml'): Promise<vscode.TextEditor> {
    this.set(uri, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    const typed = doc.languageId === language ? doc : await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(typed, { preview: true });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
