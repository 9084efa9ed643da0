import * as vscode from 'vscode';
import { DEBUG_SHELL_IMAGE } from '../orchestrator/protocol/index.js';

/** Every setting the extension reads, in one place. */
export const CONFIG_SECTION = 'kubeWorkbench';

export interface EmbeddedClusterConfig {
  /** API server port; 0 picks a free one. */
  readonly port: number;
  readonly nodes: number;
  /** Ingress proxy port; undefined lets the cluster choose. */
  readonly ingressPort: number | undefined;
  /** `auto`: docker when an engine answers, fake otherwise. */
  readonly runtime: 'auto' | 'docker' | 'fake';
  /** Docker engine socket path; empty for the default. */
  readonly dockerSocket: string;
  /** The node autoscaler may add nodes up to this many; 0: no autoscaling. */
  readonly maxNodes: number;
  /** Each simulated node's CPU and memory (quantities); empty: the host's. */
  readonly nodeCpu: string;
  readonly nodeMemory: string;
}

export interface Config {
  readonly traceServer: 'off' | 'messages' | 'verbose';
  readonly embeddedCluster: EmbeddedClusterConfig;
  /** How long "Run" waits for workloads to become ready. */
  readonly rolloutTimeoutSeconds: number;
  /** A kubeconfig file to read contexts from instead of KUBECONFIG or ~/.kube/config; empty for those. */
  readonly kubeconfigPath: string;
  /** The image of "Debug Shell"'s ephemeral container (default: the one the embedded cluster makes locally). */
  readonly debugShellImage: string;
}

export function readConfig(): Config {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const ingressPort = section.get<number | null>('embeddedCluster.ingressPort', null);
  return {
    traceServer: section.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
    embeddedCluster: {
      port: section.get<number>('embeddedCluster.port', 0),
      nodes: section.get<number>('embeddedCluster.nodes', 1),
      ingressPort: typeof ingressPort === 'number' ? ingressPort : undefined,
      runtime: section.get<'auto' | 'docker' | 'fake'>('embeddedCluster.runtime', 'auto'),
      dockerSocket: section.get<string>('embeddedCluster.dockerSocket', ''),
      maxNodes: section.get<number>('embeddedCluster.maxNodes', 0),
      nodeCpu: section.get<string>('embeddedCluster.nodeCpu', ''),
      nodeMemory: section.get<string>('embeddedCluster.nodeMemory', ''),
    },
    rolloutTimeoutSeconds: section.get<number>('rolloutTimeoutSeconds', 120),
    kubeconfigPath: section.get<string>('kubeconfigPath', ''),
    debugShellImage: section.get<string>('debugShell.image', '').trim() || DEBUG_SHELL_IMAGE,
  };
}
