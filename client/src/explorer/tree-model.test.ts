import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/kube-object';
import type { Snapshot } from '../kube/resource-cache';
import { childrenOf, clusterNode, type TreeNode } from './tree-model';

const objects: KubeObject[] = [
  { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'default' } },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'web', namespace: 'default', uid: 'd1' },
    spec: { replicas: 3 },
    status: { readyReplicas: 2 },
  },
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'web-abc',
      namespace: 'default',
      uid: 'r1',
      ownerReferences: [{ uid: 'd1' }],
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: { replicas: 3 },
    status: { readyReplicas: 2 },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'web-abc-1', namespace: 'default', ownerReferences: [{ uid: 'r1' }] },
    spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'web', ready: true, state: { running: {} } }] },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'web-abc-2', namespace: 'default', ownerReferences: [{ uid: 'r1' }] },
    spec: { containers: [{ name: 'web', image: 'nginx:nope' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }],
    },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'big', namespace: 'default' },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/1 nodes are available: 1 Insufficient cpu.',
        },
      ],
    },
  },
  { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP' } },
  {
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [
      {
        addresses: [{ ip: '10.244.0.1', targetRef: { name: 'web-abc-1' } }],
        notReadyAddresses: [{ ip: '10.244.0.2' }],
        ports: [{ port: 80 }],
      },
    ],
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    metadata: { name: 'db', namespace: 'default', uid: 's1' },
    spec: { replicas: 1 },
    status: { readyReplicas: 1 },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'db-0', namespace: 'default', ownerReferences: [{ uid: 's1' }] },
    spec: { containers: [{ name: 'db', image: 'postgres:17' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'db', ready: true, state: { running: {} } }] },
  },
  {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: { name: 'nightly', namespace: 'default', uid: 'c1' },
    spec: { schedule: '0 3 * * *' },
    status: { active: [{ name: 'nightly-1' }] },
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name: 'nightly-1', namespace: 'default', uid: 'j1', ownerReferences: [{ uid: 'c1', kind: 'CronJob' }] },
    spec: { completions: 1 },
    status: { active: 1 },
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name: 'migrate', namespace: 'default', uid: 'j2' },
    spec: { completions: 1 },
    status: {
      succeeded: 0,
      failed: 2,
      conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
    },
  },
  {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: { name: 'n1' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  },
  {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: 'n2',
      labels: { 'kube-workbench.io/node-group': 'default' },
      annotations: { 'kube-workbench.io/simulated-outage': 'true' },
    },
    spec: {
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      ],
    },
    status: {
      allocatable: { cpu: '2', memory: '4Gi' },
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        },
        { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown' },
      ],
    },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'api-1', namespace: 'other' },
    spec: {
      nodeName: 'n2',
      initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '64Mi' } } }],
      containers: [
        { name: 'api', resources: { requests: { cpu: '250m', memory: '256Mi' } } },
        { name: 'side', resources: { requests: { cpu: '250m', memory: '128Mi' } } },
      ],
    },
    status: { phase: 'Running' },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'done-1', namespace: 'other' },
    spec: { nodeName: 'n2', containers: [{ name: 'x', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Succeeded' },
  },
  {
    kind: 'PodMetrics',
    metadata: { name: 'api-1', namespace: 'other' },
    containers: [
      { name: 'api', usage: { cpu: '120000000n', memory: '30720Ki' } },
      { name: 'side', usage: { cpu: '5m', memory: '2Mi' } },
    ],
  },
  { kind: 'NodeMetrics', metadata: { name: 'n2' }, usage: { cpu: '300m', memory: '1Gi' } },
];
const snap: Snapshot = { objects: (kind) => objects.filter((o) => o.kind === kind) };
const root = clusterNode('embedded cluster', 'ready', 'ok');
const kids = (node: TreeNode | undefined) => childrenOf(node, snap, root);
const at = (node: TreeNode | undefined, label: string) => {
  const hit = kids(node).find((n) => n.label === label);
  assert.ok(hit, `no ${label} under ${node?.label ?? 'root'}`);
  return hit;
};
const show = (nodes: TreeNode[]) => nodes.map((n) => `${n.label}: ${n.description ?? ''}`);

describe('cluster explorer tree model', () => {
  const ns = at(at(at(undefined, 'embedded cluster'), 'Namespaces'), 'default');

  it('shows Deployments → ReplicaSets with revision → Pods with status → Containers', () => {
    const deployment = at(at(ns, 'Workloads'), 'web');
    assert.equal(deployment.description, '2/3 ready');
    const rs = at(deployment, 'web-abc');
    assert.equal(rs.description, 'revision 2, 2/3 ready');
    assert.deepEqual(show(kids(rs)), ['web-abc-1: Running 1/1', 'web-abc-2: ImagePullBackOff']);
    assert.deepEqual(show(kids(at(rs, 'web-abc-2'))), ['web: nginx:nope, ImagePullBackOff']);
    assert.equal(at(rs, 'web-abc-2').health, 'error');
  });

  it('says why a pod is pending and counts ready endpoints', () => {
    assert.equal(at(at(ns, 'Pods'), 'big').description, 'Pending: Insufficient cpu');
    const service = at(at(ns, 'Services'), 'web');
    assert.equal(service.description, 'ClusterIP, ready endpoints 1/2');
    assert.deepEqual(show(kids(service)), ['10.244.0.1:80: web-abc-1', '10.244.0.2:80:  (not ready)']);
  });

  it('lists the folders of a namespace with counts and the pods of a node', () => {
    assert.deepEqual(show(kids(ns)).slice(0, 3), ['Workloads: ', 'Pods: 4', 'Services: 1']);
    const node = at(at(at(undefined, 'embedded cluster'), 'Nodes'), 'n1');
    assert.equal(node.description, 'Ready, 1 pod');
    assert.equal(node.contextValue, 'resource.Node');
    assert.deepEqual(
      kids(node).map((n) => n.label),
      ['web-abc-1'],
    );
  });

  it('shows a node unreachable, cordoned, in a simulated outage, with its taints and what its pods request', () => {
    const node = at(at(at(undefined, 'embedded cluster'), 'Nodes'), 'n2');
    // The init container's 1 CPU outweighs the two containers' 500m; the finished pod holds nothing.
    assert.equal(
      node.description,
      'NotReady (unreachable), cordoned, simulated outage, 1 pod, cpu 1/2 (50%) requested, 300m used, memory 384Mi/4Gi (9%) requested, 1Gi used',
    );
    assert.equal(node.health, 'error');
    // A pod's usage (metrics.k8s.io) beside what it requests.
    assert.equal(at(node, 'api-1').description, 'Running 0/2, cpu 125m/500m, memory 32Mi/384Mi');
    assert.equal(node.contextValue, 'resource.Node cordoned simulated outage');
    assert.match(
      node.tooltip ?? '',
      /Taints: node\.kubernetes\.io\/unreachable:NoExecute, node\.kubernetes\.io\/unschedulable:NoSchedule/,
    );
    assert.deepEqual(
      kids(node).map((n) => n.label),
      [
        'Ready=Unknown (NodeStatusUnknown: Kubelet stopped posting node status.)',
        'MemoryPressure=Unknown (NodeStatusUnknown)',
        'taint node.kubernetes.io/unreachable:NoExecute',
        'taint node.kubernetes.io/unschedulable:NoSchedule',
        'api-1',
        'done-1',
      ],
    );
  });

  it('lists StatefulSets, CronJobs (→ their Jobs) and Jobs under Workloads, each with its status', () => {
    const workloads = at(ns, 'Workloads');
    assert.deepEqual(show(kids(workloads)), [
      'web: 2/3 ready',
      'db: 1/1 ready',
      'nightly: 0 3 * * *, 1 active',
      'migrate: Failed: BackoffLimitExceeded',
    ]);
    assert.deepEqual(show(kids(at(workloads, 'db'))), ['db-0: Running 1/1']);
    assert.deepEqual(show(kids(at(workloads, 'nightly'))), ['nightly-1: Running 0/1']);
    assert.equal(at(workloads, 'migrate').health, 'error');
  });
});
