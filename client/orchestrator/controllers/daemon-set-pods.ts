/**
 * A DaemonSet's pods and nodes: which nodes should run a daemon pod (node
 * name, nodeSelector and required affinity, taints with the tolerations
 * Kubernetes adds to daemon pods), the pod for one node (bound there through
 * a required node affinity on `metadata.name`, for the scheduler to honour),
 * and which node a pod is for, bound or not.
 */
import { nodeAffinityFits, taintsOf, tolerates } from '../machinery/node-fit';
import { clone, isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { ownerReferenceTo } from '../machinery/controller-context';
import { REVISION_LABEL } from './controller-history';
import { qosClass } from '../machinery/pod-state';

/** The tolerations every daemon pod gets, so it runs on nodes that are not ready, under pressure or cordoned. */
const DAEMON_TOLERATIONS: readonly [key: string, effect: string][] = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
];

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function templateSpec(ds: Stored): JsonObject {
  const spec = isObject(ds.spec) ? ds.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  return isObject(template.spec) ? template.spec : {};
}

/** The template's tolerations plus the daemon ones it lacks (`Exists`, no tolerationSeconds). */
export function daemonTolerations(spec: JsonObject): JsonObject[] {
  const out = objects(spec.tolerations).map((t) => clone(t));
  const wanted = [...DAEMON_TOLERATIONS];
  if (spec.hostNetwork === true) wanted.push(['node.kubernetes.io/network-unavailable', 'NoSchedule']);
  for (const [key, effect] of wanted) {
    const i = out.findIndex((t) => t.key === key && t.effect === effect);
    const toleration = { key, operator: 'Exists', effect };
    if (i === -1) out.push(toleration);
    else out[i] = toleration;
  }
  return out;
}

export interface Placement {
  /** A daemon pod should be made for this node. */
  shouldRun: boolean;
  /** A daemon pod already there may stay (it tolerates the node's NoExecute taints). */
  shouldContinue: boolean;
}

export function placementOn(ds: Stored, node: Stored): Placement {
  const spec = templateSpec(ds);
  const name = node.metadata.name ?? '';
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && spec.nodeName !== name)
    return { shouldRun: false, shouldContinue: false };
  if (!nodeAffinityFits(spec, node)) return { shouldRun: false, shouldContinue: false };
  const tolerations = daemonTolerations(spec);
  const untolerated = (effect: string) => taintsOf(node).some((t) => t.effect === effect && !tolerates(tolerations, t));
  const noExecute = untolerated('NoExecute');
  return { shouldRun: !noExecute && !untolerated('NoSchedule'), shouldContinue: !noExecute };
}

/** The pod's node: `spec.nodeName` once bound, before that the node its affinity names. */
export function targetNode(pod: Stored): string {
  const spec = isObject(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return spec.nodeName;
  const affinity = isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : {};
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = isObject(required) ? objects(required.nodeSelectorTerms) : [];
  for (const term of terms)
    for (const field of objects(term.matchFields)) {
      const values = Array.isArray(field.values) ? field.values : [];
      if (field.key === 'metadata.name' && field.operator === 'In' && values.length === 1) return String(values[0]);
    }
  return '';
}

/** The required node affinity replaced by one term on the node's name; preferred terms and other affinities kept. */
function pinnedAffinity(spec: JsonObject, node: string): JsonObject {
  const affinity = clone(isObject(spec.affinity) ? spec.affinity : {});
  const nodeAffinity = isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  return affinity;
}

/** A new daemon pod for `node`: `<ds>-<random>`, labelled with the template's hash. */
export function daemonPod(ds: Stored, node: string, hash: string): KubeObject {
  const dsSpec = isObject(ds.spec) ? ds.spec : {};
  const template = isObject(dsSpec.template) ? dsSpec.template : {};
  const meta = isObject(template.metadata) ? template.metadata : {};
  const spec = clone(templateSpec(ds));
  spec.affinity = pinnedAffinity(spec, node);
  spec.tolerations = daemonTolerations(spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name ?? ''}-`,
      namespace: ds.metadata.namespace ?? 'default',
      labels: {
        ...(isObject(meta.labels) ? (clone(meta.labels) as Record<string, string>) : {}),
        [REVISION_LABEL]: hash,
      },
      ...(isObject(meta.annotations) ? { annotations: clone(meta.annotations) as Record<string, string> } : {}),
      ownerReferences: [ownerReferenceTo(ds)],
    },
    spec,
    status: { phase: 'Pending', qosClass: qosClass(spec) },
  };
}

/** Oldest first (creation time, then name). */
export function byAge(a: Stored, b: Stored): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}
