/**
 * Workload chart panels: one webview per workload, fed by its sampler every
 * few seconds while it is open, with a strict content security policy (its
 * own bundled script and style only, by nonce; no network). The chart keeps
 * sampling while hidden so its hour has no holes.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChartReport, FromWebview, ToWebview } from '../../webview/chart-messages.js';
import type { ClusterManager } from '../kube/cluster-manager.js';
import { WorkloadSampler, type WorkloadKey } from './workload-sampler.js';

const VIEW_TYPE = 'kubeWorkbench.workloadChart';

class ChartPanel implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly reports = new Map<number, (report: ChartReport) => void>();
  private nextReport = 1;
  private ready = false;
  private sampling = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly sampler: WorkloadSampler,
    intervalMs: number,
    private readonly log: (message: string) => void,
  ) {
    panel.webview.onDidReceiveMessage((m: FromWebview) => {
      if (m.type === 'ready') {
        this.ready = true;
        void this.post({ type: 'data', data: this.sampler.data() });
        // Reads asked for before the webview had loaded go out now.
        for (const id of this.reports.keys()) void this.post({ type: 'report', id });
      } else if (m.type === 'report') {
        this.reports.get(m.id)?.(m.report);
        this.reports.delete(m.id);
      }
    });
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  private async post(message: ToWebview): Promise<void> {
    if (this.ready) await this.panel.webview.postMessage(message);
  }

  async sample(): Promise<void> {
    if (this.sampling) return; // a slow metrics API: skip a tick rather than pile requests up
    this.sampling = true;
    try {
      await this.sampler.tick();
      await this.post({ type: 'data', data: this.sampler.data() });
    } catch (error) {
      this.log(`chart of ${this.sampler.history.title}: ${(error as Error).message}`);
    } finally {
      this.sampling = false;
    }
  }

  /** What the webview has drawn, read back from it (once it has loaded). */
  report(timeoutMs = 30_000): Promise<ChartReport> {
    const id = this.nextReport++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reports.delete(id);
        reject(new Error('the chart did not answer'));
      }, timeoutMs);
      this.reports.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      void this.post({ type: 'report', id });
    });
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.panel.dispose();
  }
}

const keyOf = (k: WorkloadKey) => `${k.kind}/${k.namespace}/${k.name}`;

export class ChartPanels implements vscode.Disposable {
  private readonly open = new Map<string, ChartPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly clusters: ClusterManager,
    private readonly log: (message: string) => void,
    private readonly intervalMs = 3000,
  ) {}

  show(key: WorkloadKey): ChartPanel {
    const existing = this.open.get(keyOf(key));
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const out = vscode.Uri.joinPath(this.extensionUri, 'client', 'out');
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      `${key.name} (chart)`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [out], retainContextWhenHidden: true },
    );
    panel.webview.html = html(panel.webview, out, `${key.kind} ${key.namespace}/${key.name}`);
    const sampler = new WorkloadSampler(
      key,
      () => this.clusters.connection(),
      () => this.clusters.cache,
    );
    const chart = new ChartPanel(panel, sampler, this.intervalMs, this.log);
    this.open.set(keyOf(key), chart);
    panel.onDidDispose(() => {
      chart.dispose();
      this.open.delete(keyOf(key));
    });
    return chart;
  }

  get(key: WorkloadKey): ChartPanel | undefined {
    return this.open.get(keyOf(key));
  }

  dispose(): void {
    for (const chart of this.open.values()) chart.dispose();
    this.open.clear();
  }
}

function html(webview: vscode.Webview, out: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(out, 'chart-view.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(out, 'uPlot.min.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); padding: 8px 12px; }
  h2 { font-size: 1.1em; margin: 4px 0; }
  #autoscaler { margin: 2px 0 6px; }
  #notes { color: var(--vscode-descriptionForeground); margin-bottom: 6px; }
  .u-title { font-size: 0.95em; font-weight: 600; }
  .u-legend { font-size: 0.85em; }
  #markers { list-style: none; padding: 0; font-size: 0.9em; }
  .dot { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 6px; }
  .rollout { background: var(--vscode-charts-purple); } .rescale { background: var(--vscode-charts-green); }
  .restart { background: var(--vscode-charts-orange); } .eviction { background: var(--vscode-charts-red); }
</style>
<title>${escaped}</title>
</head><body>
<h2 id="title">${escaped}</h2>
<div id="autoscaler"></div>
<div id="notes"></div>
<div id="charts"></div>
<h2>What happened</h2>
<ul id="markers"></ul>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body></html>`;
}
