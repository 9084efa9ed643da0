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
  /** Let the node autoscaler add nodes up to this many (unset: no autoscaling). */
  maxNodes?: number;
  /** Each node's cpu capacity, a quantity ("2", "1500m"); unset: the host's cpus. */
  nodeCpu?: string;
  /** Each node's memory capacity, a quantity ("4Gi"); unset: the host's memory. */
  nodeMemory?: string;
  /** How long a node stays unneeded before the autoscaler removes it ("10m", "30s"). */
  scaleDownUnneededTime?: string;
  /** How long after a scale-up the autoscaler removes no node ("10m", "30s"). */
  scaleDownDelayAfterAdd?: string;
  /**
   * How long a node may stay silent (no Lease renewal, no status) before it is marked
   * Unknown and tainted unreachable: kube-controller-manager's `--node-monitor-grace-period`
   * (50 s by default in Kubernetes 1.34). Shortened for tests.
   */
  nodeMonitorGracePeriodMs?: number;
  /** The tolerationSeconds DefaultTolerationSeconds admission gives pods for not-ready/unreachable (300). */
  defaultTolerationSeconds?: number;
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
  maxNodes: '--max-nodes',
  nodeCpu: '--node-cpu',
  nodeMemory: '--node-memory',
  scaleDownUnneededTime: '--scale-down-unneeded-time',
  scaleDownDelayAfterAdd: '--scale-down-delay-after-add',
  nodeMonitorGracePeriodMs: '--node-monitor-grace-period',
  defaultTolerationSeconds: '--default-toleration-seconds',
  metricResolution: '--metric-resolution',
  hpaSyncPeriod: '--horizontal-pod-autoscaler-sync-period',
} as const satisfies { [K in keyof Required<StartArgs>]: `--${string}` };

/** The words before the options: `kube-workbench cluster start`. */
export const START_COMMAND = ['cluster', 'start'] as const;

export const START_USAGE = `usage: kube-workbench ${START_COMMAND.join(' ')} [${START_FLAGS.dataDir} DIR] [${START_FLAGS.port} N] [${START_FLAGS.nodes} N] [${START_FLAGS.runtime} ${RUNTIMES.join('|')}] [${START_FLAGS.ingressPort} N] [${START_FLAGS.allowHostPath}] [${START_FLAGS.kubernetesVersion} 1.NN] [${START_FLAGS.recover}] [${START_FLAGS.maxNodes} N] [${START_FLAGS.nodeCpu} CPU] [${START_FLAGS.nodeMemory} MEMORY] [${START_FLAGS.scaleDownUnneededTime} DURATION] [${START_FLAGS.scaleDownDelayAfterAdd} DURATION] [${START_FLAGS.nodeMonitorGracePeriodMs} DURATION] [${START_FLAGS.defaultTolerationSeconds} N] [${START_FLAGS.metricResolution} SECONDS] [${START_FLAGS.hpaSyncPeriod} SECONDS]`;

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
  if (args.maxNodes !== undefined) argv.push(START_FLAGS.maxNodes, String(args.maxNodes));
  if (args.nodeCpu !== undefined) argv.push(START_FLAGS.nodeCpu, args.nodeCpu);
  if (args.nodeMemory !== undefined) argv.push(START_FLAGS.nodeMemory, args.nodeMemory);
  if (args.scaleDownUnneededTime !== undefined)
    argv.push(START_FLAGS.scaleDownUnneededTime, args.scaleDownUnneededTime);
  if (args.scaleDownDelayAfterAdd !== undefined)
    argv.push(START_FLAGS.scaleDownDelayAfterAdd, args.scaleDownDelayAfterAdd);
  if (args.nodeMonitorGracePeriodMs !== undefined)
    argv.push(START_FLAGS.nodeMonitorGracePeriodMs, `${args.nodeMonitorGracePeriodMs}ms`);
  if (args.defaultTolerationSeconds !== undefined)
    argv.push(START_FLAGS.defaultTolerationSeconds, String(args.defaultTolerationSeconds));
  if (args.metricResolution !== undefined) argv.push(START_FLAGS.metricResolution, String(args.metricResolution));
  if (args.hpaSyncPeriod !== undefined) argv.push(START_FLAGS.hpaSyncPeriod, String(args.hpaSyncPeriod));
  return argv;
}
