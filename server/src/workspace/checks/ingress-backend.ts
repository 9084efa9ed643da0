import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { ServicePort } from '../indexed-resource.js';
import type { WorkspaceCheck } from './workspace-check.js';

function describePort(p: ServicePort): string {
  return p.name !== undefined ? `${p.port ?? '?'} (${p.name})` : String(p.port ?? '?');
}

/**
 * An Ingress backend must name a Service in the Ingress's namespace and a
 * port that Service exposes. A Service absent from the workspace may exist in
 * the cluster (a warning); a port the workspace's Service lacks is an error.
 */
export const ingressBackendCheck: WorkspaceCheck = {
  id: 'ingress-backend',
  check(resource, ctx) {
    const namespace = resource.namespace ?? 'default';
    for (const backend of resource.backends) {
      const services = ctx.index.named('Service', resource.namespace, backend.serviceName);
      if (services.length === 0) {
        const elsewhere = ctx.index.namedElsewhere('Service', resource.namespace, backend.serviceName);
        const hint =
          elsewhere.length > 0
            ? ` (there is one in namespace \`${elsewhere.at(0)?.namespace ?? ''}\`; an Ingress reaches only Services in its own namespace)`
            : '; it may exist only in the cluster';
        ctx.report(
          backend.nameRange,
          DiagnosticCode.unknownService,
          `Service \`${backend.serviceName}\` is not defined in namespace \`${namespace}\` in the workspace${hint}`,
          'warning',
        );
        continue;
      }
      if (backend.port === undefined || !backend.portRange) continue;
      const ports: ServicePort[] = [];
      for (const s of services) ports.push(...(s.service?.ports ?? []));
      const exposed = ports.some((p) => (typeof backend.port === 'number' ? p.port : p.name) === backend.port);
      if (exposed) continue;
      const what = typeof backend.port === 'number' ? `port ${backend.port}` : `a port named \`${backend.port}\``;
      const list = ports.length > 0 ? `it exposes ${ports.map(describePort).join(', ')}` : 'it exposes no ports';
      ctx.report(
        backend.portRange,
        DiagnosticCode.unknownServicePort,
        `Service \`${backend.serviceName}\` (${ctx.where(services.at(0) ?? resource)}) has no ${what}; ${list}`,
        'error',
      );
    }
  },
};
