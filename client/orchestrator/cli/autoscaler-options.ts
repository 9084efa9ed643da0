/** The node autoscaler's settings from `cluster start`'s flags (cluster-autoscaler's defaults for what is not given). */
import type { AutoscalerOptions } from '../controllers/node-autoscaler';
import type { NodeResources } from '../kubelet/node-object';
import { durationMs, type StartOptions } from './args';

export function autoscalerOptions(options: StartOptions, template: NodeResources): AutoscalerOptions {
  const unneeded = options.scaleDownUnneededTime !== undefined ? durationMs(options.scaleDownUnneededTime) : undefined;
  const afterAdd =
    options.scaleDownDelayAfterAdd !== undefined ? durationMs(options.scaleDownDelayAfterAdd) : undefined;
  return {
    minNodes: options.nodes,
    maxNodes: options.maxNodes ?? options.nodes,
    template,
    ...(unneeded !== undefined ? { unneededMs: unneeded } : {}),
    ...(afterAdd !== undefined ? { delayAfterAddMs: afterAdd } : {}),
    // Shortened delays (tests, demos) look more often than cluster-autoscaler's 10 s.
    ...(unneeded !== undefined && unneeded < 10_000 ? { scanIntervalMs: Math.max(500, unneeded / 2) } : {}),
  };
}
