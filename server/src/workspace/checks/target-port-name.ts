import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { WorkspaceCheck } from './workspace-check.js';

/**
 * A Service `targetPort` given by name resolves against the container ports
 * of each selected pod: a name that no selected container declares sends the
 * traffic nowhere. Only checked when the selector selects something here.
 */
export const targetPortNameCheck: WorkspaceCheck = {
  id: 'target-port-name',
  check(resource, ctx) {
    const service = resource.service;
    if (!service?.selector) return;
    const named = service.ports.filter((p) => typeof p.targetPort === 'string' && p.targetPortRange !== undefined);
    if (named.length === 0) return;
    const pods = ctx.index.selectedPods(resource.namespace, service.selector);
    if (pods.length === 0) return;
    const declared = new Set<string | undefined>();
    for (const p of pods) for (const c of p.pod?.containerPorts ?? []) declared.add(c.name);
    for (const port of named) {
      if (declared.has(String(port.targetPort)) || !port.targetPortRange) continue;
      const known =
        declared.size > 0 ? `they declare ${[...declared].sort().join(', ')}` : 'they declare no named ports';
      ctx.report(
        port.targetPortRange,
        DiagnosticCode.unknownTargetPort,
        `no container selected by this Service declares a port named \`${String(port.targetPort)}\`; ${known}`,
        'warning',
      );
    }
  },
};
