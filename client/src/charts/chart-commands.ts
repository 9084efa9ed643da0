/**
 * "Show Chart" on a workload (tree and CodeLens) and "Send Load…" on a
 * Service or Ingress: the two halves of watching an autoscaler work.
 */
import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { TreeNode } from '../explorer/tree-node.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { sendLoad, type LoadOptions, type LoadStats } from './load-generator.js';
import type { WorkloadKey } from './workload-sampler.js';
import { obj, arr, str } from '../kube/json-fields.js';

export const CHART_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const;

function workloadKey(arg: unknown): WorkloadKey | undefined {
  const row = arg as Partial<TreeNode> | undefined;
  if (row?.ref && (CHART_KINDS as readonly string[]).includes(row.ref.kind))
    return { kind: row.ref.kind, namespace: row.ref.namespace ?? 'default', name: row.ref.name };
  const key = arg as Partial<WorkloadKey> | undefined;
  if (
    typeof key?.kind === 'string' &&
    typeof key.name === 'string' &&
    (CHART_KINDS as readonly string[]).includes(key.kind)
  )
    return { kind: key.kind, namespace: typeof key.namespace === 'string' ? key.namespace : 'default', name: key.name };
  return undefined;
}

/** Where load for a Service or Ingress goes: a NodePort on loopback, or the embedded cluster's Ingress entry. */
function loadTarget(ctx: Ctx, o: KubeObject | undefined): { url: string; host?: string } {
  if (o?.kind === 'Service') {
    const port = arr(obj(o.spec).ports).find((p) => typeof p.nodePort === 'number');
    if (port) return { url: `http://127.0.0.1:${String(port.nodePort)}/` };
  }
  const ingress = ctx.clusters.embeddedState?.ingress;
  if (o?.kind === 'Ingress' && ingress) {
    const rule = arr(obj(o.spec).rules)[0];
    const path = str(arr(obj(rule?.http).paths)[0]?.path) || '/';
    const host = str(rule?.host);
    return host ? { url: new URL(path, ingress).toString(), host } : { url: new URL(path, ingress).toString() };
  }
  return { url: 'http://127.0.0.1:8080/' };
}

async function askNumber(prompt: string, value: number, min: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    validateInput: (v) => {
      const n = Number(v);
      return Number.isInteger(n) && n >= min && n <= max ? undefined : `a whole number from ${min} to ${max}`;
    },
  });
  return answer === undefined ? undefined : Number(answer);
}

function statsText(s: LoadStats): string {
  const latency = s.p50Ms === null ? '' : `, p50 ${s.p50Ms} ms, p95 ${s.p95Ms ?? '?'} ms`;
  return `${s.sent} requests in ${s.elapsedSeconds.toFixed(0)} s: ${s.ok} ok, ${s.failed} failed${latency}`;
}

export const chartCommands: CommandTable = {
  'kubeWorkbench.showWorkloadChart': (ctx) => (arg?: unknown) => {
    const key = workloadKey(arg);
    if (!key) {
      void vscode.window.showWarningMessage(
        'Kube Workbench: a chart is drawn for a Deployment, StatefulSet or ReplicaSet.',
      );
      return undefined;
    }
    ctx.charts.show(key);
    return key;
  },
  /** For tests: what the open chart of a workload has drawn, read back from its webview. */
  'kubeWorkbench.readWorkloadChart': (ctx) => async (arg?: unknown) => {
    const key = workloadKey(arg);
    const chart = key && ctx.charts.get(key);
    if (!chart) return undefined;
    return { report: await chart.report(), data: chart.sampler.data() };
  },
  'kubeWorkbench.sendLoad': (ctx) => async (arg?: unknown) => {
    const given = arg as Partial<LoadOptions> | undefined;
    let options: LoadOptions;
    if (typeof given?.url === 'string') {
      options = {
        url: given.url,
        concurrency: given.concurrency ?? 10,
        ratePerSecond: given.ratePerSecond ?? 0,
        durationSeconds: given.durationSeconds ?? 30,
      };
      if (given.host) options.host = given.host;
    } else {
      const target = loadTarget(ctx, (arg as Partial<TreeNode> | undefined)?.object);
      const url = await vscode.window.showInputBox({
        prompt: `Send load to (loopback only)${target.host ? `, with Host: ${target.host}` : ''}`,
        value: target.url,
      });
      if (url === undefined) return undefined;
      const concurrency = await askNumber('Concurrent clients', 10, 1, 200);
      if (concurrency === undefined) return undefined;
      const ratePerSecond = await askNumber('Requests per second over all clients (0: as fast as they go)', 0, 0, 5000);
      if (ratePerSecond === undefined) return undefined;
      const durationSeconds = await askNumber('Duration in seconds (it stops by itself)', 60, 1, 600);
      if (durationSeconds === undefined) return undefined;
      options = { url, concurrency, ratePerSecond, durationSeconds };
      if (target.host) options.host = target.host;
    }
    try {
      const stats = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Kube Workbench: sending load', cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return sendLoad({
            ...options,
            signal: abort.signal,
            onProgress: (s) => progress.report({ message: statsText(s) }),
          });
        },
      );
      ctx.log(`load to ${options.url}: ${statsText(stats)}`);
      void vscode.window.showInformationMessage(`Kube Workbench: load done, ${statsText(stats)}`);
      return stats;
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: send load: ${errorText(error)}`);
      return undefined;
    }
  },
};
