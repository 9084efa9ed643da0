import { folderOf, isOtherToolFile } from '../document/other-tool-files.js';
import type { Range } from 'vscode-languageserver-types';
import type { IndexedResource, ReferencedKind, ResourceReference } from './indexed-resource.js';
import { mapSelects } from '../../kube-model/label-selector.js';

/** A reference from one resource to another, with where it is written. */
export interface Referrer {
  readonly resource: IndexedResource;
  readonly range: Range;
}

interface Tables {
  /** `kind/namespace/name` -> resources, in index order (by file, then position). */
  readonly byName: Map<string, IndexedResource[]>;
  /** namespace -> resources with a pod spec (Pods and workload templates). */
  readonly podsByNamespace: Map<string, IndexedResource[]>;
  /** namespace -> Services with a selector. */
  readonly servicesByNamespace: Map<string, IndexedResource[]>;
  /** `kind/namespace/name` of a ConfigMap/Secret/PVC -> the pod references to it. */
  readonly referencesTo: Map<string, { resource: IndexedResource; reference: ResourceReference }[]>;
  /** `namespace/name` of a Service -> the Ingresses naming it, with the backend's name range. */
  readonly backendsTo: Map<string, Referrer[]>;
}

export function resourceKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * Every manifest in the workspace, by file. Updating a file replaces what the
 * index knew of it; lookup tables are rebuilt lazily on the first query after
 * a change, so a burst of updates (the start-up scan) costs one rebuild.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, readonly IndexedResource[]>();
  private tables: Tables | undefined;

  /** Replaces a file's resources (an empty list or `undefined` forgets the file). */
  set(uri: string, resources: readonly IndexedResource[] | undefined): void {
    if (resources === undefined || resources.length === 0) {
      if (!this.files.delete(uri)) return;
    } else this.files.set(uri, resources);
    this.tables = undefined;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The resources of one file, in document order. */
  resources(uri: string): readonly IndexedResource[] {
    return this.files.get(uri) ?? [];
  }

  /** Whether another file in the same folder as `uri` holds manifests (other tools' files do not count). */
  manifestsBeside(uri: string): boolean {
    const folder = folderOf(uri);
    for (const other of this.files.keys())
      if (other !== uri && folderOf(other) === folder && !isOtherToolFile(other)) return true;
    return false;
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** Every resource, files in URI order. */
  *all(): Iterable<IndexedResource> {
    for (const uri of [...this.files.keys()].sort()) yield* this.files.get(uri) ?? [];
  }

  /** Resources of a kind, namespace and name, in index order. */
  named(kind: string, namespace: string | undefined, name: string): readonly IndexedResource[] {
    return this.lookup().byName.get(resourceKey(kind, namespace, name)) ?? [];
  }

  /** Same name and kind in other namespaces (for "did you mean" hints). */
  namedElsewhere(kind: string, namespace: string | undefined, name: string): IndexedResource[] {
    const out: IndexedResource[] = [];
    for (const list of this.lookup().byName.values())
      for (const r of list) if (r.kind === kind && r.name === name && r.namespace !== namespace) out.push(r);
    return out;
  }

  /** Pods and workload templates in a namespace selected by a Service selector. */
  selectedPods(namespace: string | undefined, selector: Readonly<Record<string, string>>): IndexedResource[] {
    const pods = this.lookup().podsByNamespace.get(namespace ?? '') ?? [];
    return pods.filter((p) => p.pod !== undefined && mapSelects(selector, p.pod.labels));
  }

  /** Services in the pod's namespace whose selector selects its labels. */
  selectingServices(pod: IndexedResource): IndexedResource[] {
    if (!pod.pod) return [];
    const labels = pod.pod.labels;
    const services = this.lookup().servicesByNamespace.get(pod.namespace ?? '') ?? [];
    return services.filter((s) => s.service?.selector !== undefined && mapSelects(s.service.selector, labels));
  }

  /** Pod references naming a ConfigMap, Secret or PVC. */
  referencesTo(
    kind: ReferencedKind,
    namespace: string | undefined,
    name: string,
  ): readonly { resource: IndexedResource; reference: ResourceReference }[] {
    return this.lookup().referencesTo.get(resourceKey(kind, namespace, name)) ?? [];
  }

  /** Ingress backends naming a Service. */
  backendsTo(namespace: string | undefined, name: string): readonly Referrer[] {
    return this.lookup().backendsTo.get(`${namespace ?? ''}/${name}`) ?? [];
  }

  private lookup(): Tables {
    if (this.tables) return this.tables;
    const tables: Tables = {
      byName: new Map(),
      podsByNamespace: new Map(),
      servicesByNamespace: new Map(),
      referencesTo: new Map(),
      backendsTo: new Map(),
    };
    const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const r of this.all()) {
      const ns = r.namespace ?? '';
      if (r.name !== undefined) push(tables.byName, resourceKey(r.kind, r.namespace, r.name), r);
      if (r.pod) push(tables.podsByNamespace, ns, r);
      if (r.service?.selector) push(tables.servicesByNamespace, ns, r);
      for (const reference of r.references)
        push(tables.referencesTo, resourceKey(reference.targetKind, r.namespace, reference.name), {
          resource: r,
          reference,
        });
      for (const b of r.backends)
        push(tables.backendsTo, `${ns}/${b.serviceName}`, { resource: r, range: b.nameRange });
    }
    this.tables = tables;
    return tables;
  }
}
