/**
 * The command line of `kube-workbench cluster start`: the extension builds it
 * with `clusterStartArgv`, the orchestrator parses it (cli/args.ts) with the
 * same flag names.
 */

export const RUNTIMES = ['docker', 'fake'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** What `cluster start` is told; unset options take the orchestrator's defaults. */
export interface StartArgs {
  /** The data directory (store, token, certificate, kubeconfig, ready record). */
  dataDir?: string;
  /** The API server's port; 0 picks a free one. */
  port?: number;
  nodes?: number;
  /** Unset: docker when an engine answers, fake otherwise. */
  runtime?: RuntimeName;
  /** The Ingress entry's port; 0 picks a free one. */
  ingressPort?: number;
  /** Let pods mount hostPath volumes (off: a hostPath gives a container the host). */
  allowHostPath?: boolean;
  /**
   * The Kubernetes version the cluster serves ("1.34", "1.36": a version `schemas/` holds);
   * admission validates against its schemas. Unset: the schemas' default, as the language server's.
   */
  kubernetesVersion?: string;
  /**
   * Start even when the store's files are damaged, with what can be read (the damaged
   * files are kept aside). Without it such a start is refused: acknowledged writes would be lost.
   */
  recover?: boolean;
  /** Seconds between two resource metrics scrapes (metrics-server's `--metric-resolution`; default 15). */
  metricResolution?: number;
  /** Seconds between two syncs of every HorizontalPodAutoscaler (kube-controller-manager's flag; default 15). */
  hpaSyncPeriod?: number;
}

/** The flag of each option. */
export const START_FLAGS = {
  dataDir: '--data-dir',
  port: '--port',
  nodes: '--nodes',
  runtime: '--runtime',
  ingressPort: '--ingress-port',
  allowHostPath: '--allow-host-path',
  kubernetesVersion: '--kubernetes-version',
  recover: '--recover',
  metricResolution: '--metric-resolution',
  hpaSyncPeriod: '--horizontal-pod-autoscaler-sync-period',
} as const satisfies { [K in keyof Required<StartArgs>]: `--${string}` };

/** The words before the options: `kube-workbench cluster start`. */
export const START_COMMAND = ['cluster', 'start'] as const;

export const START_USAGE = `usage: kube-workbench ${START_COMMAND.join(' ')} [${START_FLAGS.dataDir} DIR] [${START_FLAGS.port} N] [${START_FLAGS.nodes} N] [${START_FLAGS.runtime} ${RUNTIMES.join('|')}] [${START_FLAGS.ingressPort} N] [${START_FLAGS.allowHostPath}] [${START_FLAGS.kubernetesVersion} 1.NN] [${START_FLAGS.recover}] [${START_FLAGS.metricResolution} SECONDS] [${START_FLAGS.hpaSyncPeriod} SECONDS]`;

/** The arguments after the command-line script: `cluster start` and the options that are set. */
export function clusterStartArgv(args: StartArgs): string[] {
  const argv: string[] = [...START_COMMAND];
  if (args.dataDir !== undefined) argv.push(START_FLAGS.dataDir, args.dataDir);
  if (args.port !== undefined) argv.push(START_FLAGS.port, String(args.port));
  if (args.nodes !== undefined) argv.push(START_FLAGS.nodes, String(args.nodes));
  if (args.runtime !== undefined) argv.push(START_FLAGS.runtime, args.runtime);
  if (args.ingressPort !== undefined) argv.push(START_FLAGS.ingressPort, String(args.ingressPort));
  if (args.allowHostPath) argv.push(START_FLAGS.allowHostPath);
  if (args.kubernetesVersion !== undefined) argv.push(START_FLAGS.kubernetesVersion, args.kubernetesVersion);
  if (args.recover) argv.push(START_FLAGS.recover);
  if (args.metricResolution !== undefined) argv.push(START_FLAGS.metricResolution, String(args.metricResolution));
  if (args.hpaSyncPeriod !== undefined) argv.push(START_FLAGS.hpaSyncPeriod, String(args.hpaSyncPeriod));
  return argv;
}
