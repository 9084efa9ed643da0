/**
 * Labels the Docker runtime puts on every container, volume and network it
 * creates: the cluster and pod they belong to. It only ever lists, changes or
 * removes objects carrying its cluster's label, so it never touches anything
 * it did not create.
 */
export const LABEL = {
  cluster: 'kube-workbench.cluster',
  node: 'kube-workbench.node',
  role: 'kube-workbench.role',
  podUid: 'kube-workbench.pod-uid',
  podName: 'kube-workbench.pod-name',
  namespace: 'kube-workbench.namespace',
  sandbox: 'kube-workbench.sandbox',
  container: 'kube-workbench.container',
  attempt: 'kube-workbench.attempt',
  init: 'kube-workbench.init',
  ephemeral: 'kube-workbench.ephemeral',
  ports: 'kube-workbench.ports',
  preStop: 'kube-workbench.pre-stop',
  service: 'kube-workbench.service',
  claim: 'kube-workbench.claim',
  /** The pod's fixed IP (a network with a pod range), on whatever holds the pod's network. */
  podIp: 'kube-workbench.pod-ip',
  /** On a pod's app container that holds the pod's network itself (no sandbox). */
  ownsNetwork: 'kube-workbench.owns-network',
  /** On a sandbox made to take the network over from that app container once it stopped: the container's id. */
  takesOver: 'kube-workbench.takes-over',
  /** On the cluster network: the half of its subnet the runtime gives pods (`--ip`). */
  podIps: 'kube-workbench.pod-ips',
} as const;

export type Role = 'sandbox' | 'container' | 'proxy';

/** The Docker network of a cluster: one user-defined bridge, named after the cluster. */
export function networkName(clusterId: string): string {
  return `kube-workbench-${clusterId}`;
}

/** A Docker object name part: what Docker allows (`[a-zA-Z0-9_.-]`). */
export function namePart(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, '-');
}
