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
