/** What the index keeps for autoscaling checks: an HPA's target and utilization metrics, a pod spec's requests. */
import type { Node } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { AutoscalerFacts, ContainerRequests } from './indexed-resource.js';
import type { YamlReader } from './yaml-reader.js';

export function containerRequests(r: YamlReader, spec: Node | undefined): ContainerRequests[] {
  const out: ContainerRequests[] = [];
  for (const container of r.items(r.get(spec, 'containers'))) {
    const nameNode = r.get(container, 'name');
    const name = r.string(nameNode);
    const range = r.range(nameNode) ?? r.range(container);
    if (name === undefined || !range) continue;
    const requests = new Set(r.entries(r.at(container, ['resources', 'requests'])).map((e) => e.key));
    // Kubernetes defaults a missing request to the limit.
    for (const e of r.entries(r.at(container, ['resources', 'limits']))) requests.add(e.key);
    out.push({ name, requests, range });
  }
  return out;
}

export function autoscalerFacts(r: YamlReader, spec: Node | undefined, documentRange: Range): AutoscalerFacts {
  const ref = r.get(spec, 'scaleTargetRef');
  const nameNode = r.get(ref, 'name');
  const utilization: { resource: string; container: string | undefined; range: Range }[] = [];
  // autoscaling/v1: one CPU utilization target.
  const v1 = r.get(spec, 'targetCPUUtilizationPercentage');
  const v1Range = r.range(v1);
  if (v1Range) utilization.push({ resource: 'cpu', container: undefined, range: v1Range });
  for (const metric of r.items(r.get(spec, 'metrics'))) {
    const type = r.string(r.get(metric, 'type'));
    const body =
      type === 'Resource'
        ? r.get(metric, 'resource')
        : type === 'ContainerResource'
          ? r.get(metric, 'containerResource')
          : undefined;
    if (!body || r.string(r.at(body, ['target', 'type'])) !== 'Utilization') continue;
    const resourceNode = r.get(body, 'name');
    const resource = r.string(resourceNode);
    const range = r.range(resourceNode) ?? r.range(metric);
    if (resource === undefined || !range) continue;
    utilization.push({ resource, container: r.string(r.get(body, 'container')), range });
  }
  return {
    targetKind: r.string(r.get(ref, 'kind')),
    targetName: r.string(nameNode),
    targetRange: r.range(nameNode) ?? r.range(r.keyNode(spec, 'scaleTargetRef')) ?? documentRange,
    utilization,
  };
}
