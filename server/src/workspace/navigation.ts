import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { IndexedResource } from './indexed-resource.js';
import { contains, uniqueLocations } from './range-utils.js';
import { keyReferrers, referrersOf, toLocation } from './referrers.js';
import type { WorkspaceIndex } from './workspace-index.js';

const at = (resource: IndexedResource, range: Range): Location => ({ uri: resource.uri, range });

/**
 * A place in a manifest that points at other resources: what "go to
 * definition" jumps to, and what "find references" lists from there.
 */
interface Site {
  /** What the site names (the declarations). */
  readonly definitions: Location[];
  /** Every reference to the same thing, this one included; `undefined` where the definitions are the references (selectors, ports). */
  readonly usages?: Location[];
}

/** The site under the cursor in one resource, if any. */
function siteAt(index: WorkspaceIndex, resource: IndexedResource, position: Position): Site | undefined {
  const service = resource.service;
  if (
    service?.selector &&
    (contains(service.selectorRange, position) || contains(service.selectorValueRange, position))
  ) {
    const pods = index
      .selectedPods(resource.namespace, service.selector)
      .map((p) => at(p, p.pod?.labelsRange ?? p.nameRange));
    return { definitions: pods };
  }
  for (const port of service?.ports ?? []) {
    if (!service?.selector || typeof port.targetPort !== 'string' || !contains(port.targetPortRange, position))
      continue;
    const ports = index
      .selectedPods(resource.namespace, service.selector)
      .flatMap((p) =>
        (p.pod?.containerPorts ?? []).filter((c) => c.name === port.targetPort).map((c) => at(p, c.range)),
      );
    return { definitions: ports };
  }
  for (const backend of resource.backends) {
    const services = index.named('Service', resource.namespace, backend.serviceName);
    const declarations = services.map((s) => at(s, s.nameRange));
    if (contains(backend.nameRange, position)) {
      return {
        definitions: declarations,
        usages: index.backendsTo(resource.namespace, backend.serviceName).map(toLocation),
      };
    }
    if (backend.port !== undefined && contains(backend.portRange, position)) {
      const ports = services.flatMap((s) =>
        (s.service?.ports ?? [])
          .filter((p) => (typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port))
          .map((p) => at(s, typeof backend.port === 'number' ? p.range : (p.nameRange ?? p.range))),
      );
      return { definitions: ports };
    }
  }
  for (const ref of resource.references) {
    const targets = index.named(ref.targetKind, resource.namespace, ref.name);
    if (contains(ref.nameRange, position)) {
      const declarations = targets.map((t) => at(t, t.nameRange));
      const usages = index
        .referencesTo(ref.targetKind, resource.namespace, ref.name)
        .map(({ resource: r, reference }) => at(r, reference.nameRange));
      return { definitions: declarations, usages };
    }
    for (const { key, range } of ref.keys) {
      if (!contains(range, position)) continue;
      const declarations = targets.flatMap((t) => {
        const keyRange = t.dataKeys?.get(key);
        return keyRange ? [at(t, keyRange)] : [];
      });
      const usages = targets.flatMap((t) => keyReferrers(index, t, key).map(toLocation));
      return { definitions: declarations, usages };
    }
  }
  return undefined;
}

/** Where a resource is referenced from, when the cursor is on its name, its pod labels or one of its keys. */
function declarationAt(index: WorkspaceIndex, resource: IndexedResource, position: Position): Location[] | undefined {
  const self = at(resource, resource.nameRange);
  if (resource.name !== undefined && contains(resource.nameRange, position))
    return [self, ...referrersOf(index, resource).map(toLocation)];
  if (contains(resource.pod?.labelsRange, position))
    return [
      at(resource, resource.pod?.labelsRange ?? resource.nameRange),
      ...referrersOf(index, resource).map(toLocation),
    ];
  for (const [key, range] of resource.dataKeys ?? []) {
    if (contains(range, position)) return [at(resource, range), ...keyReferrers(index, resource, key).map(toLocation)];
  }
  return undefined;
}

/** Go to definition: from a selector, backend, or ConfigMap/Secret/PVC reference to what it names. */
export function definition(index: WorkspaceIndex, uri: string, position: Position): Location[] {
  for (const resource of index.resources(uri)) {
    const site = siteAt(index, resource, position);
    if (site) return uniqueLocations(site.definitions);
  }
  return [];
}

/**
 * Find references: on a resource's name (or a workload's template labels, or
 * a ConfigMap/Secret key), the places that reference it; on a reference, every
 * reference to the same target. The first location is the declaration, left
 * out unless asked for.
 */
export function references(
  index: WorkspaceIndex,
  uri: string,
  position: Position,
  includeDeclaration: boolean,
): Location[] {
  for (const resource of index.resources(uri)) {
    const site = siteAt(index, resource, position);
    if (site) {
      if (!site.usages) return uniqueLocations(site.definitions);
      return uniqueLocations(includeDeclaration ? [...site.definitions, ...site.usages] : site.usages);
    }
    const declared = declarationAt(index, resource, position);
    if (declared) return uniqueLocations(includeDeclaration ? declared : declared.slice(1));
  }
  return [];
}
