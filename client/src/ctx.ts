import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ChartPanels } from './charts/chart-panels.js';
import { ClusterManager } from './kube/cluster-manager.js';
import { DebugAttachments } from './debug/debug-attachments.js';
import { PortForwards } from './forwarding/port-forwards.js';
import type { ClusterExplorer } from './explorer/cluster-explorer.js';
import type { TreeNode } from './explorer/tree-model.js';
import { ResourceDocuments, RESOURCE_SCHEME } from './explorer/resource-documents.js';
import type { RunPreparer } from './run/run-preparer.js';

/**
 * The extension's state. It owns every disposable the extension creates, so
 * deactivation releases all of them in reverse order of creation.
 */
export class Ctx implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  /** The active cluster, its health and its informer cache. */
  readonly clusters: ClusterManager;
  /** Read-only `kube-workbench:` documents (YAML, describe, logs, diffs). */
  readonly documents: ResourceDocuments;
  /** Active port-forwards (and debugger inspector forwards), stopped on dispose. */
  readonly forwards: PortForwards;
  /** Debug sessions through inspector forwards: each forward stops with its session. */
  readonly debugAttachments: DebugAttachments;
  /** Open workload charts, each sampling its workload while open. */
  readonly charts: ChartPanels;
  /** The cluster explorer (set once its view is registered). */
  explorer: { explorer: ClusterExplorer; view: vscode.TreeView<TreeNode> } | undefined;
  /** What Run does between parsing and applying (the dev feature: build the images the manifests name). */
  prepareRun: RunPreparer | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = this.push(vscode.window.createOutputChannel('Kube Workbench'));
    this.clusters = this.push(new ClusterManager(extension, (m) => this.log(m)));
    this.documents = this.push(new ResourceDocuments());
    this.forwards = this.push(new PortForwards());
    this.debugAttachments = this.push(new DebugAttachments(this.forwards, (m) => this.log(m)));
    this.charts = this.push(new ChartPanels(extension.extensionUri, this.clusters, (m) => this.log(m)));
    this.push(vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, this.documents));
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
