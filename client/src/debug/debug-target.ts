/**
 * What to attach the debugger to, decided from plain objects: the workloads a
 * manifest defines, a `deployment/web` reference, the container to debug
 * (the one whose spec has `--inspect`, else the first), the pod to debug
 * among a workload's pods, and a `kube-workbench` launch configuration read
 * into a checked request. No `vscode` and no I/O here.
 */
import type { ContainerSpec } from './node-inspector.js';
import { inspectorPort } from './node-inspector.js';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A workload (or Pod) by kind and name, as `deployment/web` names it. */
export interface WorkloadRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** The kinds whose pods the debugger can attach to, with their API versions. */
export const DEBUG_KINDS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Pod: 'v1',
};

/** Whether the debugger attaches to pods of this kind. */
export function isDebugKind(kind: string): boolean {
  return Object.hasOwn(DEBUG_KINDS, kind);
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
};

/** `deployment/web` (any case, kubectl's short names) to a reference; undefined when it names no debuggable kind. */
export function parseWorkloadRef(text: string): WorkloadRef | undefined {
  const m = /^\s*([A-Za-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\s*$/.exec(text);
  const key = m?.[1]?.toLowerCase() ?? '';
  const kind = Object.hasOwn(KIND_NAMES, key) ? KIND_NAMES[key] : undefined;
  return kind && m ? { kind, name: m[2]! } : undefined;
}

/** `deployment/web`, the way launch configurations and quick picks name a workload. */
export function formatWorkloadRef(ref: WorkloadRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** The same workload, for replacing an earlier debug session of it: `namespace/Kind/name`. */
export function workloadKey(ref: WorkloadRef, defaultNamespace: string): string {
  return `${ref.namespace ?? defaultNamespace}/${ref.kind}/${ref.name}`;
}

/** The containers of a Pod or of a workload's pod template. */
export function podSpecContainers(object: Json): ContainerSpec[] {
  const spec = obj(object.spec);
  const podSpec = object.kind === 'Pod' ? spec : obj(obj(spec.template).spec);
  return arr(podSpec.containers);
}

/** The workloads and Pods among a manifest's objects, in file order. */
export function debuggableWorkloads(objects: readonly Json[]): WorkloadRef[] {
  const refs: WorkloadRef[] = [];
  for (const o of objects) {
    const kind = str(o.kind);
    const meta = obj(o.metadata);
    if (!isDebugKind(kind) || str(meta.name) === '') continue;
    const ref: WorkloadRef = { kind, name: str(meta.name) };
    if (str(meta.namespace)) ref.namespace = str(meta.namespace);
    refs.push(ref);
  }
  return refs;
}

/** The container to debug and its inspector port from the spec (undefined: start it with SIGUSR1). */
export interface ContainerChoice {
  container: string;
  port: number | undefined;
  workingDir: string | undefined;
}

/**
 * The container named `wanted`; without a name, the first whose spec has
 * `--inspect` (command, args or NODE_OPTIONS), else the first one.
 */
export function chooseContainer(containers: readonly ContainerSpec[], wanted?: string): ContainerChoice | string {
  if (containers.length === 0) return 'the pod has no containers';
  const named = wanted === undefined ? undefined : containers.find((c) => c.name === wanted);
  if (wanted !== undefined && !named)
    return `no container ${wanted} (the pod has ${containers.map((c) => c.name ?? '?').join(', ')})`;
  const chosen = named ?? containers.find((c) => inspectorPort(c) !== undefined) ?? containers[0]!;
  return { container: chosen.name ?? '', port: inspectorPort(chosen), workingDir: chosen.workingDir };
}

function podRunning(pod: Json): boolean {
  const status = obj(pod.status);
  return str(status.phase) === 'Running' && arr(status.containerStatuses).every((c) => obj(c.state).running);
}

function podReady(pod: Json): boolean {
  return arr(obj(pod.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

function ownedBy(pod: Json, uid: string): boolean {
  return arr(obj(pod.metadata).ownerReferences).some((o) => o.uid === uid);
}

/**
 * The pods worth attaching to, best first: owned by `ownerUid` (the newest
 * ReplicaSet of a Deployment, or the workload itself), not being deleted,
 * running; ready ones first, then the newest.
 */
export function debuggablePods(pods: readonly Json[], ownerUid?: string): Json[] {
  const created = (p: Json) => Date.parse(str(obj(p.metadata).creationTimestamp)) || 0;
  return pods
    .filter((p) => ownerUid === undefined || ownedBy(p, ownerUid))
    .filter((p) => !obj(p.metadata).deletionTimestamp && podRunning(p))
    .sort((a, b) => Number(podReady(b)) - Number(podReady(a)) || created(b) - created(a));
}

/** A `kube-workbench` launch configuration, checked: where to attach and how to map the sources. */
export interface KubeDebugRequest {
  name: string;
  namespace?: string;
  /** A workload (`deployment/web`) or, with `pod`, one pod by name. */
  workload?: WorkloadRef;
  pod?: string;
  container?: string;
  /** The inspector port in the container; default: the spec's `--inspect`, else 9229 after SIGUSR1. */
  port?: number;
  localRoot?: string;
  remoteRoot?: string;
  /** A manifest to apply (and wait for) first. */
  manifest?: string;
  /** A kubeconfig context; `embedded` for the embedded cluster; default the active cluster. */
  cluster?: string;
  /** `node`, `python` or `go`; default: found from what the container runs. */
  runtime?: 'node' | 'python' | 'go';
  /** What else the configuration says (`skipFiles`, `sourceMaps`, ...), passed on to the JavaScript debugger. */
  passThrough: Json;
}

const OWN_FIELDS = new Set([
  'type',
  'request',
  'name',
  'namespace',
  'workload',
  'pod',
  'container',
  'port',
  'localRoot',
  'remoteRoot',
  'manifest',
  'cluster',
  'runtime',
  'address',
  '__configurationTarget',
]);

/** Reads a `kube-workbench` launch configuration; a string says what is wrong with it. */
export function debugRequestOf(config: Json): KubeDebugRequest | string {
  if (config.request !== undefined && config.request !== 'attach')
    return `request must be "attach" (it is "${str(config.request)}")`;
  const request: KubeDebugRequest = { name: str(config.name) || 'Kube Workbench', passThrough: {} };
  for (const key of ['namespace', 'pod', 'container', 'localRoot', 'remoteRoot', 'manifest', 'cluster'] as const) {
    const value = config[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return `${key} must be a string`;
    request[key] = value;
  }
  if (config.workload !== undefined && config.workload !== '') {
    const ref = typeof config.workload === 'string' ? parseWorkloadRef(config.workload) : undefined;
    if (!ref)
      return `workload must name a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod, like "deployment/web" (it is ${JSON.stringify(config.workload)})`;
    request.workload = ref;
  }
  if (request.workload && request.pod) return 'give either workload or pod, not both';
  if (!request.workload && !request.pod) return 'name what to debug: workload (like "deployment/web") or pod';
  if (config.runtime !== undefined && config.runtime !== '') {
    if (config.runtime !== 'node' && config.runtime !== 'python' && config.runtime !== 'go')
      return `runtime must be node, python or go (it is ${JSON.stringify(config.runtime)})`;
    request.runtime = config.runtime;
  }
  if (config.port !== undefined) {
    const port = Number(config.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return `port must be a port number (it is ${JSON.stringify(config.port)})`;
    request.port = port;
  }
  for (const [key, value] of Object.entries(config)) if (!OWN_FIELDS.has(key)) request.passThrough[key] = value;
  return request;
}

/** The `kube-workbench` launch configuration that attaches to a workload a manifest defines. */
export function debugConfigurationFor(ref: WorkloadRef, object: Json): Json {
  const choice = chooseContainer(podSpecContainers(object));
  const config: Json = {
    type: 'kube-workbench',
    request: 'attach',
    name: `Kube Workbench: ${formatWorkloadRef(ref)}`,
    workload: formatWorkloadRef(ref),
  };
  if (ref.namespace) config.namespace = ref.namespace;
  config.localRoot = '${workspaceFolder}';
  config.remoteRoot = (typeof choice === 'string' ? undefined : choice.workingDir) ?? '/app';
  return config;
}
