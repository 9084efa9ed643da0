/** The Node object a kubelet registers for itself: capacity, allocatable, labels, Ready condition, addresses. */
import { rfc3339 } from '../clock';
import { clone, isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { setCondition, type Condition } from '../machinery/pod-conditions';
import type { RuntimeStatus } from './runtime';

export interface NodeResources {
  cpu: string;
  memory: string;
  pods: string;
}

export const DEFAULT_NODE_RESOURCES: NodeResources = { cpu: '4', memory: '8Gi', pods: '110' };

export interface NodeOptions {
  name: string;
  resources?: NodeResources;
  labels?: Record<string, string>;
  taints?: JsonObject[];
  hostIP: string;
  runtimeVersion: string;
}

export function nodeObject(o: NodeOptions, now: number): KubeObject {
  const resources = o.resources ?? DEFAULT_NODE_RESOURCES;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': o.name,
        'kubernetes.io/os': 'linux',
        ...o.labels,
      },
    },
    spec: { ...(o.taints && o.taints.length > 0 ? { taints: o.taints } : {}) },
    status: readyStatus({ capacity: { ...resources }, allocatable: { ...resources } }, o, now),
  };
}

function readyStatus(base: JsonObject, o: NodeOptions, now: number): JsonObject {
  const at = rfc3339(now);
  let status: JsonObject = {
    ...base,
    addresses: [
      { type: 'InternalIP', address: o.hostIP },
      { type: 'Hostname', address: o.name },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      containerRuntimeVersion: o.runtimeVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
      osImage: 'Kube Workbench',
      kernelVersion: '',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
  };
  const conditions: [string, boolean, string, string][] = [
    ['MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', true, 'KubeletReady', 'kubelet is posting ready status'],
  ];
  for (const [type, ok, reason, message] of conditions) {
    status = setCondition(status, { type, status: ok ? 'True' : 'False', reason, message, lastTransitionTime: at });
    const c = (status.conditions as JsonObject[]).find((x) => x.type === type)!;
    c.lastHeartbeatTime = at;
  }
  return status;
}

/** The stored node with a fresh Ready status (after a restart), keeping its capacity. */
export function refreshedNode(node: Stored, o: NodeOptions, now: number): KubeObject {
  const next = clone(node) as KubeObject;
  const old = isObject(node.status) ? node.status : {};
  next.status = readyStatus({ ...clone(old) }, o, now);
  return next;
}

export function isNodeReady(node: Stored): boolean {
  const status = isObject(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The conditions a kubelet posts: no pressure, and Ready as the container runtime says. */
function kubeletConditions(runtime: RuntimeStatus): Condition[] {
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    runtime.ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: `container runtime is down: ${runtime.message ?? 'it does not answer'}`,
        },
  ];
}

/**
 * The node status a kubelet posts: its conditions (Ready following the container runtime: True,
 * KubeletReady, while it answers; False, KubeletNotReady, "container runtime is down: ..." while it
 * does not), each with a fresh lastHeartbeatTime. Undefined when nothing changed and no heartbeat is
 * due (`heartbeat`: Kubernetes' kubelet posts unchanged status only every nodeStatusReportFrequency).
 * A status the node lifecycle controller set (Unknown, after the kubelet was silent) counts as changed.
 */
export function kubeletNodeStatus(
  node: Stored,
  runtime: RuntimeStatus,
  now: number,
  heartbeat: boolean,
): KubeObject | undefined {
  const status = isObject(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const wanted = kubeletConditions(runtime);
  const same = wanted.every((w) =>
    conditions.some(
      (c) => c.type === w.type && c.status === w.status && c.reason === w.reason && c.message === w.message,
    ),
  );
  if (same && !heartbeat) return undefined;
  const at = rfc3339(now);
  let updated: JsonObject = clone(status);
  for (const w of wanted) updated = setCondition(updated, { ...w, lastTransitionTime: at });
  for (const c of updated.conditions as JsonObject[])
    if (wanted.some((w) => w.type === c.type)) c.lastHeartbeatTime = at;
  const next = clone(node) as KubeObject;
  next.status = updated;
  return next;
}
