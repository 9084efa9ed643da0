import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { WorkspaceCheck } from './workspace-check.js';

/**
 * A HorizontalPodAutoscaler must scale a workload that exists, and a
 * utilization target needs every (or the named) container of that workload
 * to request the resource: otherwise the autoscaler cannot compute
 * utilization and Kubernetes reports `FailedGetResourceMetric` only at run
 * time. A target absent from the workspace may exist in the cluster, so both
 * are warnings.
 */
export const autoscalerTargetCheck: WorkspaceCheck = {
  id: 'autoscaler-target',
  check(resource, ctx) {
    const hpa = resource.autoscaler;
    if (!hpa || hpa.targetKind === undefined || hpa.targetName === undefined) return;
    const namespace = resource.namespace ?? 'default';
    const targets = ctx.index.named(hpa.targetKind, resource.namespace, hpa.targetName);
    const target = targets.at(0);
    if (!target) {
      ctx.report(
        hpa.targetRange,
        DiagnosticCode.unknownScaleTarget,
        `${hpa.targetKind} \`${hpa.targetName}\` is not defined in namespace \`${namespace}\` in the workspace; the autoscaler scales nothing unless it exists in the cluster`,
        'warning',
      );
      return;
    }
    const containers = target.pod?.containers ?? [];
    for (const u of hpa.utilization) {
      const checked = u.container === undefined ? containers : containers.filter((c) => c.name === u.container);
      const lacking = checked.filter((c) => !c.requests.has(u.resource));
      if (lacking.length === 0) continue;
      const names = lacking.map((c) => `\`${c.name}\``).join(', ');
      ctx.report(
        u.range,
        DiagnosticCode.autoscalerMissingRequest,
        `${u.resource} utilization needs a ${u.resource} request on every container it measures, and ${names} of ${target.kind} \`${target.name ?? ''}\` (${ctx.where(target)}) ${lacking.length === 1 ? 'has' : 'have'} none: the autoscaler cannot compute utilization (Kubernetes reports FailedGetResourceMetric); add resources.requests.${u.resource}`,
        'warning',
      );
    }
  },
};
