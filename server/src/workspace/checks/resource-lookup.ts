import type { IndexedResource } from '../indexed-resource.js';

/**
 * Resources a lookup found, in index order, read one at a time: an array in the editor's index;
 * `validate`'s index (cli/flat-index.ts) makes each resource only when it is read, so a large
 * file's lookups hold no list of objects.
 */
export interface ResourceList extends Iterable<IndexedResource> {
  readonly length: number;
  at(i: number): IndexedResource | undefined;
}

/** What the checks across resources look up. */
export interface ResourceLookup {
  /** Resources of a kind, namespace and name, in index order. */
  named(kind: string, namespace: string | undefined, name: string): ResourceList;
  /** Same name and kind in other namespaces (for "did you mean" hints). */
  namedElsewhere(kind: string, namespace: string | undefined, name: string): ResourceList;
  /** Pods and workload templates in a namespace selected by a Service selector. */
  selectedPods(namespace: string | undefined, selector: Readonly<Record<string, string>>): ResourceList;
  /** Whether `a` and `b` are the same entry of the index (two reads of one entry may be two objects). */
  same(a: IndexedResource, b: IndexedResource): boolean;
}

/** A lookup that also lists each file's resources, in document order: what the checks run over. */
export interface ResourceIndex extends ResourceLookup {
  resources(uri: string): Iterable<IndexedResource>;
}
