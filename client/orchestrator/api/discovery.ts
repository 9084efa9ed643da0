/**
 * Discovery documents: /version, /api, /apis, /api/v1, /apis/<group>/<version>,
 * plain and aggregated (apidiscovery.k8s.io/v2, which kubectl asks for first).
 */
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { ALL_VERBS, singular, subresourceInfo, type Registry, type ResourceDef } from './registry';

export { SERVER_VERSION, serverVersion, servedVersion, versionInfo } from './version-info';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params.includes('g=apidiscovery.k8s.io') && params.includes('v=v2') && params.includes('as=APIGroupDiscoveryList')
    );
  });
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(registry: Registry): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if (group === '') continue;
    out.set(group, [...(out.get(group) ?? []), version]);
  }
  return out;
}

export function apiGroupList(registry: Registry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups(registry)].map(([name, versions]) => {
      const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

export function apiGroup(registry: Registry, name: string): Record<string, unknown> | undefined {
  const versions = groups(registry).get(name);
  if (!versions) return undefined;
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: list, preferredVersion: list[0] };
}

export function apiResourceList(
  registry: Registry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const def of defs) {
    resources.push({
      name: def.resource,
      singularName: def.resource.includes('/') ? '' : singular(def),
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs ?? ALL_VERBS,
      ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
      ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    });
    for (const sub of def.subresources) {
      const info = subresourceInfo(def, sub);
      resources.push({
        name: `${def.resource}/${sub}`,
        singularName: '',
        namespaced: def.namespaced,
        // Another group version (autoscaling/v1 Scale, policy/v1 Eviction) is named whole, as Kubernetes does.
        ...(info.group !== def.group || info.version !== def.version
          ? { group: info.group, version: info.version }
          : {}),
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

function discoveryResource(def: ResourceDef): Record<string, unknown> {
  return {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.resource.includes('/') ? '' : singular(def),
    verbs: def.verbs ?? ALL_VERBS,
    ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
    ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    ...(def.subresources.length > 0
      ? {
          subresources: def.subresources.map((sub) => {
            const info = subresourceInfo(def, sub);
            return {
              subresource: sub,
              responseKind: { group: info.group, version: info.version, kind: info.kind },
              verbs: info.verbs,
            };
          }),
        }
      : {}),
  };
}

/** The aggregated document for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(registry: Registry, core: boolean): Record<string, unknown> {
  const items: Record<string, unknown>[] = [];
  const byGroup = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if ((group === '') !== core) continue;
    byGroup.set(group, [...(byGroup.get(group) ?? []), version]);
  }
  for (const [group, versions] of byGroup) {
    items.push({
      metadata: group === '' ? {} : { name: group },
      versions: versions.map((version) => ({
        version,
        resources: registry.inGroupVersion(group, version).map(discoveryResource),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
