import { folderOf, isOtherToolFile } from '../document/other-tool-files.js';
import type { Range } from 'vscode-languageserver-types';
import type { IndexedResource, ReferencedKind, ResourceReference } from './indexed-resource.js';
import { keysSelect, labelValue, mapSelects } from '../../kube-model/label-selector.js';
import type { ResourceIndex } from './checks/resource-lookup.js';
import { RememberedSelections } from './remembered-selections.js';

/** A reference from one resource to another, with where it is written. */
export interface Referrer {
  readonly resource: IndexedResource;
  readonly range: Range;
}

/** What the checks look up. */
interface CheckTables {
  /** `kind/namespace/name` -> resources, in index order (by file, then position). */
  readonly byName: Map<string, IndexedResource[]>;
  /** namespace -> resources with a pod spec (Pods and workload templates). */
  readonly podsByNamespace: Map<string, IndexedResource[]>;
  /** namespace -> Services with a selector. */
  readonly servicesByNamespace: Map<string, IndexedResource[]>;
}

/**
 * What navigation looks up (who refers to a resource), built on its first use: each entry holds the
 * reference itself, which `validate` (whose checks never ask) would otherwise keep for every pod spec.
 */
interface ReferenceTables {
  /** `kind/namespace/name` of a ConfigMap/Secret/PVC -> the pod references to it. */
  readonly referencesTo: Map<string, { resource: IndexedResource; reference: ResourceReference }[]>;
  /** `namespace/name` of a Service -> the Ingresses naming it, with the backend's name range. */
  readonly backendsTo: Map<string, Referrer[]>;
}

type Tables = CheckTables & Partial<ReferenceTables>;

export function resourceKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * Every manifest in the workspace, by file. Updating a file replaces what the
 * index knew of it; lookup tables are rebuilt lazily on the first query after
 * a change, so a burst of updates (the start-up scan) costs one rebuild.
 */
export class WorkspaceIndex implements ResourceIndex {
  private readonly files = new Map<string, readonly IndexedResource[]>();
  private tables: CheckTables | undefined;
  private referenceTables: ReferenceTables | undefined;
  /** Derived from the tables' pods (their labels may change in a patch that keeps every key): see `podsWithLabel`. */
  private podLabels: Map<string, Map<string, Map<string, IndexedResource[]>>> | undefined;
  /** Derived from the tables' names: see `byKindAndName`. */
  private kindNames: Map<string, Map<string, IndexedResource[]>> | undefined;
  /** The last selections asked for: see `selectedPods`. */
  private readonly selections = new RememberedSelections<IndexedResource[]>();

  /** Replaces a file's resources (an empty list or `undefined` forgets the file). */
  set(uri: string, resources: readonly IndexedResource[] | undefined): void {
    if (resources === undefined || resources.length === 0) {
      if (!this.files.delete(uri)) return;
    } else this.files.set(uri, resources);
    this.tables = undefined;
    this.referenceTables = undefined;
    this.podLabels = undefined;
    this.kindNames = undefined;
    this.selections.clear();
  }

  /**
   * Replaces a file's resources as `set` does, but when the lookup tables are
   * built and each new resource sits under the same keys as the one at its
   * place before (an edit that changed no name, label or reference), patches
   * the tables in place instead of dropping them: an edit then costs the
   * resources it touched, not a rebuild over the whole workspace.
   */
  replace(uri: string, resources: readonly IndexedResource[]): void {
    this.podLabels = undefined;
    this.kindNames = undefined;
    this.selections.clear();
    const before = this.files.get(uri);
    const tables: Tables | undefined = this.tables && { ...this.tables, ...this.referenceTables };
    if (!tables || !before || before.length !== resources.length || resources.length === 0)
      return this.set(uri, resources);
    const changes: [TableEntry[], TableEntry[]][] = [];
    for (let i = 0; i < resources.length; i++) {
      const previous = before[i];
      const next = resources[i];
      if (previous === undefined || next === undefined) return this.set(uri, resources);
      if (previous === next) continue;
      const was = entriesOf(previous);
      const now = entriesOf(next);
      if (was.length !== now.length || was.some((e, j) => e.table !== now[j]?.table || e.key !== now[j]?.key))
        return this.set(uri, resources);
      changes.push([was, now]);
    }
    for (const [was, now] of changes)
      for (let j = 0; j < was.length; j++) {
        const old = was[j];
        const fresh = now[j];
        if (!old || !fresh) continue;
        const table = tables[old.table];
        // A reference table not built yet is built from the files when first asked.
        if (!table) continue;
        const list = table.get(old.key) as unknown[] | undefined;
        // The k-th entry of a resource under a key is its k-th occurrence in that list (pushed in order).
        const occurrence = was.slice(0, j).filter((e) => e.table === old.table && e.key === old.key).length;
        let seen = 0;
        const at = list?.findIndex((v) => resourceOf(v) === old.resource && seen++ === occurrence) ?? -1;
        if (!list || at < 0) return this.set(uri, resources);
        list[at] = fresh.value;
      }
    this.files.set(uri, resources);
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

  /** Whether `a` and `b` are the same entry (this index keeps each entry as one object). */
  same(a: IndexedResource, b: IndexedResource): boolean {
    return a === b;
  }

  /** Same name and kind in other namespaces (for "did you mean" hints). */
  namedElsewhere(kind: string, namespace: string | undefined, name: string): IndexedResource[] {
    const same = this.byKindAndName().get(kind)?.get(name) ?? [];
    return same.filter((r) => r.namespace !== namespace);
  }

  /**
   * kind -> name -> resources, in the order `byName` lists them (its keys in turn, each list in index
   * order): a missing reference's "did you mean" looked through every resource of the workspace.
   */
  private byKindAndName(): Map<string, Map<string, IndexedResource[]>> {
    if (this.kindNames) return this.kindNames;
    const out = new Map<string, Map<string, IndexedResource[]>>();
    for (const list of this.lookup().byName.values())
      for (const r of list) if (r.name !== undefined) pushTo(mapAt(out, r.kind), r.name, r);
    this.kindNames = out;
    return out;
  }

  /**
   * Pods and workload templates in a namespace selected by a Service selector (a list not to be changed).
   * The last few selections are remembered until the index changes: a file of many copies of the same
   * Services asked the same of every candidate pod again for each copy (docs/BENCHMARKS.md).
   */
  selectedPods(namespace: string | undefined, selector: Readonly<Record<string, string>>): IndexedResource[] {
    return this.selections.get(namespace, selector, () => this.select(namespace, selector));
  }

  private select(namespace: string | undefined, selector: Readonly<Record<string, string>>): IndexedResource[] {
    const ns = namespace ?? '';
    const pods = this.lookup().podsByNamespace.get(ns) ?? [];
    // Only pods carrying the selector's first label can match: those, in index order, instead of every pod.
    const first = Object.entries(selector)[0];
    const candidates =
      first !== undefined && typeof first[1] === 'string'
        ? (this.podsWithLabel().get(ns)?.get(first[0])?.get(first[1]) ?? [])
        : pods;
    const keys = Object.keys(selector);
    return candidates.filter((p) => p.pod !== undefined && keysSelect(selector, keys, p.pod.labels));
  }

  /**
   * namespace -> label key -> value -> the pods (as `podsByNamespace` lists them, in its order) whose
   * labels have that key with that value. Built on first use after any change (a Service's check
   * looked at every pod of its namespace: services x pods for a whole workspace).
   */
  private podsWithLabel(): Map<string, Map<string, Map<string, IndexedResource[]>>> {
    if (this.podLabels) return this.podLabels;
    const out = new Map<string, Map<string, Map<string, IndexedResource[]>>>();
    for (const [ns, pods] of this.lookup().podsByNamespace) {
      const byKey = new Map<string, Map<string, IndexedResource[]>>();
      out.set(ns, byKey);
      for (const pod of pods) {
        const labels = pod.pod?.labels;
        if (!labels) continue;
        for (const key of Object.keys(labels)) {
          const value = labelValue(labels, key);
          if (typeof value === 'string') pushTo(mapAt(byKey, key), value, pod);
        }
      }
    }
    this.podLabels = out;
    return out;
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
    return this.references().referencesTo.get(resourceKey(kind, namespace, name)) ?? [];
  }

  /** Ingress backends naming a Service. */
  backendsTo(namespace: string | undefined, name: string): readonly Referrer[] {
    return this.references().backendsTo.get(`${namespace ?? ''}/${name}`) ?? [];
  }

  private lookup(): CheckTables {
    if (this.tables) return this.tables;
    const tables: CheckTables = { byName: new Map(), podsByNamespace: new Map(), servicesByNamespace: new Map() };
    for (const r of this.all())
      for (const entry of checkEntriesOf(r))
        pushTo(tables[entry.table as keyof CheckTables] as Map<string, unknown[]>, entry.key, entry.value);
    this.tables = tables;
    return tables;
  }

  private references(): ReferenceTables {
    if (this.referenceTables) return this.referenceTables;
    const tables: ReferenceTables = { referencesTo: new Map(), backendsTo: new Map() };
    for (const r of this.all())
      for (const entry of referenceEntriesOf(r))
        pushTo(tables[entry.table as keyof ReferenceTables] as Map<string, unknown[]>, entry.key, entry.value);
    this.referenceTables = tables;
    return tables;
  }
}

type TableName = keyof Tables;

/** Appends `value` to the list under `key`, starting the list when there is none. */
function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The map under `key`, made empty when there is none. */
function mapAt<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map<string, V>()));
  return inner;
}

interface TableEntry {
  readonly table: TableName;
  readonly key: string;
  readonly resource: IndexedResource;
  readonly value: unknown;
}

/** Where a resource goes in the lookup tables, in the order the tables list it. */
function entriesOf(r: IndexedResource): TableEntry[] {
  return [...checkEntriesOf(r), ...referenceEntriesOf(r)];
}

/** Where a resource goes in the checks' tables. */
function checkEntriesOf(r: IndexedResource): TableEntry[] {
  const ns = r.namespace ?? '';
  const out: TableEntry[] = [];
  if (r.name !== undefined)
    out.push({ table: 'byName', key: resourceKey(r.kind, r.namespace, r.name), resource: r, value: r });
  if (r.pod) out.push({ table: 'podsByNamespace', key: ns, resource: r, value: r });
  if (r.service?.selector) out.push({ table: 'servicesByNamespace', key: ns, resource: r, value: r });
  return out;
}

/** Where a resource goes in navigation's tables. */
function referenceEntriesOf(r: IndexedResource): TableEntry[] {
  const ns = r.namespace ?? '';
  const out: TableEntry[] = [];
  for (const reference of r.references)
    out.push({
      table: 'referencesTo',
      key: resourceKey(reference.targetKind, r.namespace, reference.name),
      resource: r,
      value: { resource: r, reference },
    });
  for (const b of r.backends)
    out.push({
      table: 'backendsTo',
      key: `${ns}/${b.serviceName}`,
      resource: r,
      value: { resource: r, range: b.nameRange },
    });
  return out;
}

/** The resource a table entry stands for. */
function resourceOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'resource' in value ? value.resource : value;
}
