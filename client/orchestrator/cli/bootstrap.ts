/**
 * What a fresh cluster has: the system namespaces with their default
 * ServiceAccounts, the `kubernetes` Service, the default StorageClass and the
 * Nodes asked for.
 * Idempotent: runs on every start.
 */
import { arch, cpus, release, totalmem } from 'node:os';
import { inSimulatedOutage } from '../protocol/node-annotations';
import { rfc3339, type Clock } from '../clock';
import { KUBERNETES_SERVICE_IP } from '../api/admission/allocators';
import { SERVER_VERSION } from '../api/discovery';
import { ensureDefaultServiceAccount, SYSTEM_NAMESPACES } from '../api/namespace-lifecycle';
import { NODE_GROUP_LABEL } from '../controllers/node-autoscaler';
import { clone, type KubeObject } from '../store/object';
import type { ObjectStore } from '../store/object-store';
import { defaultStorageClass, STORAGE_CLASSES } from '../store/storage-class';

export const NODE_PREFIX = 'kube-workbench-node-';

/** Capacity of each node: `--node-cpu` / `--node-memory`, else the host's cpus and memory. */
export function nodeTemplate(cpu?: string, memory?: string): { cpu: string; memory: string; pods: string } {
  return { cpu: cpu ?? String(cpus().length), memory: memory ?? `${Math.floor(totalmem() / 1024)}Ki`, pods: '110' };
}

export function nodeObject(index: number, clock: Clock, runtime: string, template = nodeTemplate()): KubeObject {
  const name = `${NODE_PREFIX}${index}`;
  const now = rfc3339(clock.now());
  const resources = { ...template };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  const goArch = arch() === 'x64' ? 'amd64' : arch();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': goArch,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': goArch,
        [NODE_GROUP_LABEL]: 'default',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: SERVER_VERSION.gitVersion,
        kubeProxyVersion: SERVER_VERSION.gitVersion,
        osImage: `Kube Workbench (${runtime} runtime)`,
        kernelVersion: release(),
        containerRuntimeVersion: `${runtime}://0.1.0`,
        operatingSystem: 'linux',
        architecture: goArch,
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
  };
}

export async function bootstrap(
  store: ObjectStore,
  clock: Clock,
  nodes: number,
  runtime: string,
  template = nodeTemplate(),
): Promise<void> {
  for (const ns of SYSTEM_NAMESPACES) {
    if (!store.get('/namespaces', '', ns)) {
      await store.create('/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
    await ensureDefaultServiceAccount(store, ns);
  }
  if (!store.get('/services', 'default', 'kubernetes')) {
    await store.create('/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'None',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
      status: { loadBalancer: {} },
    });
  }
  // Made when the cluster has no StorageClass at all: a user's own default class is left alone.
  if (store.list(STORAGE_CLASSES).items.length === 0) await store.create(STORAGE_CLASSES, defaultStorageClass());
  for (let i = 1; i <= nodes; i++) {
    const wanted = nodeObject(i, clock, runtime, template);
    const existing = store.get('/nodes', '', wanted.metadata.name!);
    if (!existing) await store.create('/nodes', wanted);
    else if (!inSimulatedOutage(existing.metadata)) {
      // A node in a simulated outage keeps the status its silence left (the node lifecycle controller's).
      const next = clone(existing) as KubeObject;
      next.status = wanted.status;
      next.metadata.labels = { ...next.metadata.labels, [NODE_GROUP_LABEL]: 'default' };
      await store.update('/nodes', next);
    }
  }
  for (const node of store.list('/nodes').items) {
    const name = node.metadata.name ?? '';
    const index = Number(name.slice(NODE_PREFIX.length));
    if (name.startsWith(NODE_PREFIX) && Number.isInteger(index) && index > nodes)
      await store.delete('/nodes', '', name);
  }
}
