/**
 * What the extension, the command line and the orchestrator agree on about
 * simulated nodes (binding: others code against these names).
 */

/** `"true"` on a Node: its simulated kubelet goes silent (no Lease renewal, no status, containers frozen); anything else or absent: it runs. */
export const SIMULATED_OUTAGE_ANNOTATION = 'kube-workbench.io/simulated-outage';

/** On a Node: the simulated node pool it belongs to (`default` for the nodes `cluster start` makes). */
export const NODE_GROUP_LABEL = 'kube-workbench.io/node-group';

/** Whether a Node's metadata says it is in a simulated outage. */
export function inSimulatedOutage(metadata: { annotations?: Readonly<Record<string, string>> } | undefined): boolean {
  return metadata?.annotations?.[SIMULATED_OUTAGE_ANNOTATION] === 'true';
}
