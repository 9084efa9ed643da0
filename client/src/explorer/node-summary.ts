/**
 * What the tree says about a node: Ready or NotReady (and why), cordoned, a
 * simulated outage, its taints and conditions, how many pods it runs and how
 * much of its allocatable CPU and memory their requests take, as
 * `kubectl describe node` sums them. No `vscode` here.
 */
import { podSpecRequests } from '../../../server/kube-model/pod-requests.js';
import { bytes, milliCpu } from '../../../server/kube-model/quantity.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Health } from './resource-status.js';
import { obj, arr, str, type Json } from '../kube/json-fields.js';

/** The annotation that makes a simulated node go silent (the embedded cluster's `node stop`). */
export const OUTAGE_ANNOTATION = 'kube-workbench.io/simulated-outage';
/** The label of nodes the embedded cluster runs a simulated kubelet for. */
export const NODE_GROUP_LABEL = 'kube-workbench.io/node-group';

export interface NodeSummary {
  /** `Ready, 3 pods, cpu 750m/2 (37%), memory 384Mi/4Gi (9%)`. */
  text: string;
  health: Health;
  ready: 'True' | 'False' | 'Unknown';
  cordoned: boolean;
  outage: boolean;
  /** A simulated node of the embedded cluster (it carries the node-group label). */
  simulated: boolean;
  taints: string[];
  /** `Ready=Unknown (NodeStatusUnknown: Kubelet stopped posting node status.)`, one per condition. */
  conditions: string[];
  /** The conditions that are not as a healthy node has them (Ready not True, a pressure True). */
  problems: string[];
  tooltip: string;
}

/** Pods that hold a node's resources: bound to it and not finished. */
export function podsOnNode(node: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const name = node.metadata?.name ?? '';
  return pods.filter((p) => {
    const phase = str(obj(p.status).phase);
    return str(obj(p.spec).nodeName) === name && phase !== 'Succeeded' && phase !== 'Failed';
  });
}

export function cpuText(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${Math.round(milli)}m`;
}

export function memoryText(value: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (value >= size) return `${Number((value / size).toFixed(1))}${unit}`;
  return String(Math.round(value));
}

function share(used: number, total: number): string {
  return total > 0 ? ` (${Math.round((used / total) * 100)}%)` : '';
}

/** CPU (millicores) and memory (bytes) a metrics object reports, summed over its containers for a pod. */
export function usageOf(metrics: KubeObject | undefined): { cpu: number; memory: number } | undefined {
  if (!metrics) return undefined;
  const parts = Array.isArray(metrics.containers)
    ? arr(metrics.containers).map((c) => obj(c.usage))
    : [obj(metrics.usage)];
  return parts.reduce<{ cpu: number; memory: number }>(
    (sum, u) => ({ cpu: sum.cpu + milliCpu(u.cpu), memory: sum.memory + bytes(u.memory) }),
    { cpu: 0, memory: 0 },
  );
}

export function nodeSummary(node: KubeObject, pods: readonly KubeObject[], metrics?: KubeObject): NodeSummary {
  const status = obj(node.status);
  const conditions = arr(status.conditions);
  const readyCondition = conditions.find((c) => c.type === 'Ready');
  const readyStatus = str(readyCondition?.status);
  const ready = readyStatus === 'True' || readyStatus === 'False' ? readyStatus : 'Unknown';
  const cordoned = obj(node.spec).unschedulable === true;
  const outage = str(obj(node.metadata?.annotations)[OUTAGE_ANNOTATION]) === 'true';
  const taints = arr(obj(node.spec).taints).map(
    (t) => `${str(t.key)}${str(t.value) ? `=${str(t.value)}` : ''}:${str(t.effect)}`,
  );
  const describe = (c: Json) => {
    const why = [str(c.reason), str(c.message)].filter(Boolean).join(': ');
    return `${str(c.type)}=${str(c.status)}${why ? ` (${why})` : ''}`;
  };
  const problems = conditions
    .filter((c) => (c.type === 'Ready' ? c.status !== 'True' : c.status !== 'False'))
    .map(describe);
  if (!readyCondition) problems.unshift('Ready=Unknown (no status posted yet)');

  const running = podsOnNode(node, pods);
  let cpu = 0;
  let memory = 0;
  for (const pod of running) {
    const r = podSpecRequests(pod.spec);
    cpu += r.milliCpu;
    memory += r.memory;
  }
  const allocatable = obj(status.allocatable);
  const cpuTotal = milliCpu(allocatable.cpu);
  const memoryTotal = bytes(allocatable.memory);
  const usage: string[] = [];
  const used = usageOf(metrics);
  if (allocatable.cpu !== undefined)
    usage.push(
      `cpu ${cpuText(cpu)}/${cpuText(cpuTotal)}${share(cpu, cpuTotal)}${used ? ` requested, ${cpuText(used.cpu)} used` : ''}`,
    );
  if (allocatable.memory !== undefined)
    usage.push(
      `memory ${memoryText(memory)}/${memoryText(memoryTotal)}${share(memory, memoryTotal)}${used ? ` requested, ${memoryText(used.memory)} used` : ''}`,
    );

  const state = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'NotReady (unreachable)';
  const parts = [
    state,
    ...(cordoned ? ['cordoned'] : []),
    ...(outage ? ['simulated outage'] : []),
    `${running.length} ${running.length === 1 ? 'pod' : 'pods'}`,
    ...usage,
  ];
  const health: Health = ready !== 'True' || outage ? 'error' : cordoned || problems.length > 0 ? 'warning' : 'ok';
  const tooltip = [
    `${node.metadata?.name ?? ''}: ${parts.join(', ')}`,
    `Conditions: ${conditions.length > 0 ? conditions.map(describe).join('; ') : 'none posted'}`,
    `Taints: ${taints.length > 0 ? taints.join(', ') : 'none'}`,
  ].join('\n');
  return {
    text: parts.join(', '),
    health,
    ready,
    cordoned,
    outage,
    simulated: obj(node.metadata?.labels)[NODE_GROUP_LABEL] !== undefined,
    taints,
    conditions: conditions.map(describe),
    problems,
    tooltip,
  };
}

/** The tree's context value of a node: menus offer Cordon or Uncordon, Outage or Recover from it. */
export function nodeContextValue(summary: Pick<NodeSummary, 'cordoned' | 'outage' | 'simulated'>): string {
  const flags = [summary.cordoned && 'cordoned', summary.simulated && 'simulated', summary.outage && 'outage'];
  return ['resource.Node', ...flags.filter(Boolean)].join(' ');
}
