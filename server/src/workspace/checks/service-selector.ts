import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import { formatLabels } from '../../../kube-model/label-selector.js';
import type { WorkspaceCheck } from './workspace-check.js';

/** A Service whose selector selects no Pod or workload pod template in the workspace sends traffic nowhere. */
export const serviceSelectorCheck: WorkspaceCheck = {
  id: 'service-selector',
  check(resource, ctx) {
    const service = resource.service;
    if (!service?.selector || !service.selectorRange || service.type === 'ExternalName') return;
    if (ctx.index.selectedPods(resource.namespace, service.selector).length > 0) return;
    ctx.report(
      service.selectorRange,
      DiagnosticCode.unmatchedServiceSelector,
      `no Pod or workload pod template in namespace \`${resource.namespace ?? 'default'}\` in the workspace has the labels ${formatLabels(service.selector)}: this Service selects nothing here`,
      'warning',
    );
  },
};
