/**
 * The cluster explorer's tree, built from the objects an informer cache holds:
 * Cluster → Namespaces → Workloads (Deployments → ReplicaSets → Pods →
 * Containers; StatefulSets, DaemonSets and Jobs → Pods; CronJobs → Jobs), Pods, Services (→ endpoints), Ingresses (→ rules → backends),
 * ConfigMaps, Secrets, PVCs, Events; and Nodes (→ their pods). No `vscode` here.
 */
import type { KubeObject } from '../kube/kube-object.js';
import { refOf } from '../kube/object-ref.js';
import type { Snapshot } from '../kube/resource-cache.js';
import {
  containerStatus,
  cronJobStatus,
  daemonSetStatus,
  endpointsStatus,
  jobStatus,
  podStatus,
  pvcStatus,
  workloadStatus,
  type Health,
} from './resource-status.js';
import { autoscalersOf, hpaSummary } from './hpa-summary.js';
import { endpointRows, ingressChildren, ingressRuleRows } from './network-rows.js';
import { nodeContextValue, nodeSummary, usageOf } from './node-summary.js';
import { podUsageText } from './pod-usage.js';
import { leaf, type TreeNode } from './tree-node.js';
import { obj, arr, str } from '../kube/json-fields.js';

export type { TreeNode } from './tree-node.js';

const nameOf = (o: KubeObject) => o.metadata?.name ?? '';
const nsOf = (o: KubeObject) => o.metadata?.namespace ?? '';
const byName = (a: KubeObject, b: KubeObject) => nameOf(a).localeCompare(nameOf(b));

export const NAMESPACE_FOLDERS = [
  'Workloads',
  'Pods',
  'Services',
  'Ingresses',
  'ConfigMaps',
  'Secrets',
  'PVCs',
  'Events',
] as const;
/** What the Workloads folder lists, in this order (Jobs a CronJob made appear under it). */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'] as const;
const FOLDER_KINDS: Record<string, string> = {
  Pods: 'Pod',
  Services: 'Service',
  Ingresses: 'Ingress',
  ConfigMaps: 'ConfigMap',
  Secrets: 'Secret',
  PVCs: 'PersistentVolumeClaim',
};

export function clusterNode(label: string, description: string, health: Health): TreeNode {
  return { id: 'cluster', label, description, health, expandable: true, contextValue: 'cluster' };
}

function folder(parent: TreeNode, name: string, description?: string): TreeNode {
  const node: TreeNode = {
    id: `${parent.id}/${name}`,
    label: name,
    health: 'none',
    expandable: true,
    contextValue: 'folder',
    parent,
    folder: name,
  };
  if (description !== undefined) node.description = description;
  return node;
}

function inNamespace(snap: Snapshot, kind: string, ns: string): KubeObject[] {
  return snap
    .objects(kind)
    .filter((o) => nsOf(o) === ns)
    .sort(byName);
}

function ownedBy(items: readonly KubeObject[], owner: KubeObject): KubeObject[] {
  const uid = owner.metadata?.uid;
  return items.filter((o) => arr(o.metadata?.ownerReferences).some((r) => r.uid === uid)).sort(byName);
}

export function objectNode(parent: TreeNode, o: KubeObject, snap: Snapshot): TreeNode {
  const ref = refOf(o);
  const node: TreeNode = {
    id: `${parent.id}/${ref.kind}:${ref.name}`,
    label: ref.name,
    health: 'none',
    expandable: false,
    contextValue: `resource.${ref.kind}`,
    parent,
    ref,
    object: o,
  };
  switch (ref.kind) {
    case 'Pod': {
      const s = podStatus(o);
      const metrics = snap.objects('PodMetrics').find((m) => nameOf(m) === ref.name && nsOf(m) === nsOf(o));
      const usage = podUsageText(o, usageOf(metrics));
      Object.assign(node, { description: usage ? `${s.text}, ${usage}` : s.text, health: s.health, expandable: true });
      break;
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet': {
      const s = workloadStatus(o);
      const revision = str(obj(o.metadata?.annotations)['deployment.kubernetes.io/revision']);
      const text = ref.kind === 'ReplicaSet' && revision ? `revision ${revision}, ${s.text}` : s.text;
      Object.assign(node, { description: text, health: s.health, expandable: true });
      break;
    }
    case 'DaemonSet':
    case 'Job':
    case 'CronJob': {
      const s = ref.kind === 'DaemonSet' ? daemonSetStatus(o) : ref.kind === 'Job' ? jobStatus(o) : cronJobStatus(o);
      Object.assign(node, { description: s.text, health: s.health, expandable: true });
      break;
    }
    case 'Service': {
      const endpoints = snap.objects('Endpoints').find((e) => nameOf(e) === ref.name && nsOf(e) === nsOf(o));
      const s = endpointsStatus(endpoints);
      const type = str(obj(o.spec).type) || 'ClusterIP';
      Object.assign(node, { description: `${type}, ${s.text}`, health: s.health, expandable: true });
      break;
    }
    case 'Ingress':
      Object.assign(node, {
        description: arr(obj(o.spec).rules)
          .map((r) => str(r.host) || '*')
          .join(', '),
        expandable: true,
      });
      break;
    case 'Node': {
      const metrics = snap.objects('NodeMetrics').find((m) => nameOf(m) === ref.name);
      const s = nodeSummary(o, snap.objects('Pod'), metrics);
      const contextValue = nodeContextValue(s);
      Object.assign(node, {
        description: s.text,
        health: s.health,
        tooltip: s.tooltip,
        expandable: true,
        contextValue,
      });
      break;
    }
    case 'HorizontalPodAutoscaler': {
      const s = hpaSummary(o);
      Object.assign(node, { label: `autoscaler ${ref.name}`, description: s.text, health: s.health });
      break;
    }
    case 'PersistentVolumeClaim': {
      const s = pvcStatus(o);
      Object.assign(node, { description: s.text, health: s.health });
      break;
    }
    case 'ConfigMap':
    case 'Secret':
      {
        const keys = Object.keys(obj(o.data)).length;
        node.description = `${keys} ${keys === 1 ? 'key' : 'keys'}`;
      }
      break;
    case 'Event': {
      node.label = `${str(o.reason)}: ${str(o.message)}`;
      node.description = `${str(obj(o.involvedObject).kind)} ${str(obj(o.involvedObject).name)}`;
      node.health = o.type === 'Warning' ? 'warning' : 'none';
      node.tooltip = `${node.label}\n${node.description}, ${str(o.lastTimestamp) || str(o.eventTime)}`;
      break;
    }
  }
  return node;
}

function eventTime(e: KubeObject): string {
  return str(e.lastTimestamp) || str(e.eventTime) || str(e.metadata?.creationTimestamp);
}

/** The children of a node (the root's when `node` is undefined). */
export function childrenOf(node: TreeNode | undefined, snap: Snapshot, root: TreeNode): TreeNode[] {
  if (!node) return [root];
  if (node.contextValue === 'cluster')
    return [folder(node, 'Namespaces'), { ...folder(node, 'Nodes'), contextValue: 'folder.Nodes' }];
  if (node.folder === 'Namespaces' && node.parent?.contextValue === 'cluster')
    return [...snap.objects('Namespace')]
      .sort(byName)
      .map((ns) => ({ ...objectNode(node, ns, snap), expandable: true, contextValue: 'resource.Namespace' }));
  if (node.folder === 'Nodes' && node.parent?.contextValue === 'cluster')
    return [...snap.objects('Node')].sort(byName).map((n) => objectNode(node, n, snap));
  const o = node.object;
  const ref = node.ref;
  if (ref?.kind === 'Namespace') {
    return NAMESPACE_FOLDERS.map((f) => {
      const kind = FOLDER_KINDS[f];
      const count = kind
        ? inNamespace(snap, kind, ref.name).length
        : f === 'Events'
          ? inNamespace(snap, 'Event', ref.name).length
          : undefined;
      return folder(node, f, count === undefined ? undefined : String(count));
    });
  }
  if (node.folder !== undefined) {
    const ns = node.parent?.ref?.name ?? '';
    if (node.folder === 'Workloads')
      return WORKLOAD_KINDS.flatMap((kind) =>
        inNamespace(snap, kind, ns)
          .filter((w) => kind !== 'Job' || !arr(w.metadata?.ownerReferences).some((r) => r.kind === 'CronJob'))
          .map((w) => objectNode(node, w, snap)),
      );
    if (node.folder === 'Events')
      return inNamespace(snap, 'Event', ns)
        .sort((a, b) => eventTime(b).localeCompare(eventTime(a)))
        .map((e) => objectNode(node, e, snap));
    const kind = FOLDER_KINDS[node.folder];
    return kind ? inNamespace(snap, kind, ns).map((x) => objectNode(node, x, snap)) : [];
  }
  if (!o || !ref) return ingressChildren(node);
  const autoscalers = autoscalersOf(o, snap.objects('HorizontalPodAutoscaler')).map((h) => objectNode(node, h, snap));
  switch (ref.kind) {
    case 'Deployment':
      return [
        ...autoscalers,
        ...ownedBy(inNamespace(snap, 'ReplicaSet', nsOf(o)), o).map((rs) => objectNode(node, rs, snap)),
      ];
    case 'ReplicaSet':
    case 'StatefulSet':
      return [...autoscalers, ...ownedBy(inNamespace(snap, 'Pod', nsOf(o)), o).map((p) => objectNode(node, p, snap))];
    case 'DaemonSet':
    case 'Job':
      return ownedBy(inNamespace(snap, 'Pod', nsOf(o)), o).map((p) => objectNode(node, p, snap));
    case 'CronJob':
      return ownedBy(inNamespace(snap, 'Job', nsOf(o)), o).map((j) => objectNode(node, j, snap));
    case 'Node': {
      const s = nodeSummary(o, []);
      const detail = [
        ...s.problems.map((p) => leaf(node, `condition:${p}`, p, '', 'warning', 'nodeCondition')),
        ...s.taints.map((t) => leaf(node, `taint:${t}`, `taint ${t}`, '', 'none', 'nodeTaint')),
      ];
      const pods = snap
        .objects('Pod')
        .filter((p) => str(obj(p.spec).nodeName) === ref.name)
        .sort(byName)
        .map((p) => objectNode(node, p, snap));
      return [...detail, ...pods];
    }
    case 'Pod':
      return arr(obj(o.spec).containers).map((c) => {
        const s = containerStatus(o, str(c.name));
        return {
          ...leaf(node, `container:${str(c.name)}`, str(c.name), `${str(c.image)}, ${s.text}`, s.health, 'container'),
          container: str(c.name),
          ref,
        };
      });
    case 'Service':
      return endpointRows(
        node,
        snap.objects('Endpoints').find((e) => nameOf(e) === ref.name && nsOf(e) === nsOf(o)),
      );
    case 'Ingress':
      return ingressRuleRows(node, o);
    default:
      return [];
  }
}
