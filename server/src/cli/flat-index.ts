/**
 * `validate`'s workspace index: each entry a row of numbers in typed arrays (its packed record's
 * head and position, namespace and name as string numbers, its pod's label set) and the lookup
 * tables as groups of entry numbers (cli/ordinal-groups.ts). An entry is made an object
 * (`PackedResource`) only while a check reads it, so what the heap holds no longer grows with the
 * file: 4 to 24 bytes an entry, outside the heap. Its lookups answer as the editor's
 * `WorkspaceIndex` does (the same entries in the same order); it is filled once, then read.
 */
import type { IndexedResource, Labels } from '../workspace/indexed-resource.js';
import type { ResourceIndex, ResourceList } from '../workspace/checks/resource-lookup.js';
import { keysSelect, labelValue } from '../../kube-model/label-selector.js';
import { doubled } from './doubled.js';
import { NO_ORDINALS, OrdinalGroupsBuilder, OrdinalSpan } from './ordinal-groups.js';
import type { OrdinalGroups } from './ordinal-groups.js';
import { PackedResource } from './packed-resource.js';
import type { Head } from './packed-resource.js';
import type { StringTable } from './string-table.js';
import { SortedNames } from './sorted-names.js';
import { RememberedSelections } from '../workspace/remembered-selections.js';

/** The head number of an entry kept as an object (not plain data): see `others`. */
const OTHER = 0xffffffff;

interface Tables {
  /** Entries by kind, namespace (`undefined` as '') and name, and by kind and name. */
  readonly names: SortedNames;
  /** namespace -> entries with a pod spec, in index order. */
  readonly pods: OrdinalGroups;
  /** namespace, label key, value -> entries with a pod spec with that label, in index order. */
  readonly podLabels: OrdinalGroups;
}

export class FlatIndex implements ResourceIndex {
  private count = 0;
  private heads: Head[] = [];
  /** Each head's kind as a string number. */
  private readonly headKinds: number[] = [];
  private readonly headIds = new Map<Head, number>();
  private headOf = new Uint32Array(1024);
  /** String number + 1 (0: none). */
  private namespaceOf = new Uint32Array(1024);
  private nameOf = new Uint32Array(1024);
  /** Whole numbers under 2^32; doubles from the first that is not (an arena past 4 GiB). */
  private positionOf: Uint32Array | Float64Array = new Uint32Array(1024);
  /** Label set number + 1 (0: no pod spec). */
  private podOf = new Uint32Array(1024);
  private readonly labelSets: (Labels | undefined)[] = [];
  private readonly labelIds = new Map<Labels | undefined, number>();
  /** Entries that are not packed records, by number, and their kinds as string numbers. */
  private readonly others = new Map<number, IndexedResource>();
  private readonly otherKinds = new Map<number, number>();
  private fileStart = 0;
  private readonly files = new Map<string, OrdinalSpan>();
  private tables: Tables | undefined;
  private readonly selections = new RememberedSelections<OrdinalSpan>();

  constructor(private readonly strings: StringTable) {}

  /** Adds a file's entries (the file is closed by `endFile`). */
  add(resources: readonly IndexedResource[]): void {
    for (const r of resources) this.push(r);
  }

  /** The entries added since the last call, as one file's; `keep` false drops them (a file that could not be read). */
  endFile(keep: boolean): OrdinalSpan {
    if (!keep) this.count = this.fileStart;
    const span = new OrdinalSpan(undefined, this.fileStart, this.count);
    this.fileStart = this.count;
    return span;
  }

  /** Indexes a file's entries under `uri` (none: the file is forgotten, as the editor's index does). */
  set(uri: string, span: OrdinalSpan): void {
    if (span.length === 0) this.files.delete(uri);
    else this.files.set(uri, span);
    this.tables = undefined;
    this.selections.clear();
  }

  resources(uri: string): ResourceList {
    return new Entries(this, this.files.get(uri) ?? NO_ORDINALS);
  }

  named(kind: string, namespace: string | undefined, name: string): ResourceList {
    const s = this.strings;
    return new Entries(this, this.lookup().names.named(s.id(kind), s.id(namespace ?? ''), s.id(name)));
  }

  namedElsewhere(kind: string, namespace: string | undefined, name: string): ResourceList {
    const same = this.lookup().names.kindAndName(this.strings.id(kind), this.strings.id(name));
    const ns = namespace === undefined ? 0 : this.strings.id(namespace) + 1;
    return new Entries(
      this,
      this.filter(same, (o) => this.namespaceOf[o] !== ns),
    );
  }

  selectedPods(namespace: string | undefined, selector: Readonly<Record<string, string>>): ResourceList {
    return new Entries(
      this,
      this.selections.get(namespace, selector, () => this.select(namespace, selector)),
    );
  }

  same(a: IndexedResource, b: IndexedResource): boolean {
    return a === b || (a instanceof PackedResource && b instanceof PackedResource && a.sameRecord(b));
  }

  /** Entry number `o` as an object. */
  entry(o: number): IndexedResource {
    const other = this.others.get(o);
    if (other !== undefined) return other;
    const ns = this.namespaceOf[o] ?? 0;
    const name = this.nameOf[o] ?? 0;
    const pod = this.podOf[o] ?? 0;
    return new PackedResource(
      this.heads[this.headOf[o] ?? 0] as Head,
      ns === 0 ? undefined : this.strings.text(ns - 1),
      name === 0 ? undefined : this.strings.text(name - 1),
      this.positionOf[o] ?? 0,
      pod === 0 ? undefined : (this.labelSets[pod - 1] ?? {}),
    );
  }

  private push(r: IndexedResource): void {
    const o = this.count++;
    if (o === this.headOf.length) {
      this.headOf = doubled(this.headOf);
      this.namespaceOf = doubled(this.namespaceOf);
      this.nameOf = doubled(this.nameOf);
      this.positionOf = doubled(this.positionOf);
      this.podOf = doubled(this.podOf);
    }
    this.others.delete(o);
    this.otherKinds.delete(o);
    this.namespaceOf[o] = r.namespace === undefined ? 0 : this.strings.id(r.namespace) + 1;
    this.nameOf[o] = r.name === undefined ? 0 : this.strings.id(r.name) + 1;
    this.podOf[o] = r.pod === undefined ? 0 : this.labelSet(r.pod.labels) + 1;
    if (r instanceof PackedResource) {
      let head = this.headIds.get(r.head);
      if (head === undefined) {
        this.headIds.set(r.head, (head = this.heads.length));
        this.heads.push(r.head);
        this.headKinds.push(this.strings.id(r.head.kind));
      }
      this.headOf[o] = head;
      if (this.positionOf instanceof Uint32Array && r.position >>> 0 !== r.position)
        this.positionOf = Float64Array.from(this.positionOf);
      this.positionOf[o] = r.position;
    } else {
      this.headOf[o] = OTHER;
      this.others.set(o, r);
      this.otherKinds.set(o, this.strings.id(r.kind));
    }
  }

  private labelSet(labels: Labels | undefined): number {
    let id = this.labelIds.get(labels);
    if (id === undefined) {
      this.labelIds.set(labels, (id = this.labelSets.length));
      this.labelSets.push(labels);
    }
    return id;
  }

  /** Entry `o`'s kind as a string number. */
  private kindOf(o: number): number {
    const head = this.headOf[o] ?? 0;
    return head === OTHER ? (this.otherKinds.get(o) ?? 0) : (this.headKinds[head] ?? 0);
  }

  private select(namespace: string | undefined, selector: Readonly<Record<string, string>>): OrdinalSpan {
    const s = this.strings;
    const ns = s.id(namespace ?? '');
    // Only pods carrying the selector's first label can match: those, in index order, instead of every pod.
    const first = Object.entries(selector)[0];
    const candidates =
      first !== undefined && typeof first[1] === 'string'
        ? this.lookup().podLabels.get(`${ns},${s.id(first[0])},${s.id(first[1])}`)
        : this.lookup().pods.get(String(ns));
    const keys = Object.keys(selector);
    return this.filter(candidates, (o) => {
      const pod = this.podOf[o] ?? 0;
      return pod !== 0 && keysSelect(selector, keys, this.labelSets[pod - 1]);
    });
  }

  /** The entries of `span` that `keep` says, in its order. */
  private filter(span: OrdinalSpan, keep: (o: number) => boolean): OrdinalSpan {
    const out = new Uint32Array(span.length);
    let n = 0;
    for (let i = 0; i < span.length; i++) {
      const o = span.ordinal(i);
      if (keep(o)) out[n++] = o;
    }
    return new OrdinalSpan(n === out.length ? out : out.slice(0, n), 0, n);
  }

  private lookup(): Tables {
    if (this.tables) return this.tables;
    const s = this.strings;
    const empty = s.id('');
    const pods = new OrdinalGroupsBuilder();
    const podLabels = new OrdinalGroupsBuilder();
    const order = new Uint32Array(this.count);
    let n = 0;
    for (const uri of [...this.files.keys()].sort()) {
      const span = this.files.get(uri) ?? NO_ORDINALS;
      for (let o = span.start; o < span.end; o++) {
        order[n++] = o;
        const ns = this.namespaceOf[o] ?? 0;
        const nsKey = ns === 0 ? empty : ns - 1;
        const pod = this.podOf[o] ?? 0;
        if (pod === 0) continue;
        pods.add(String(nsKey), o);
        const labels = this.labelSets[pod - 1];
        if (!labels) continue;
        for (const key of Object.keys(labels)) {
          const value = labelValue(labels, key);
          if (typeof value === 'string') podLabels.add(`${nsKey},${s.id(key)},${s.id(value)}`, o);
        }
      }
    }
    this.tables = {
      names: new SortedNames(
        {
          kind: (o) => this.kindOf(o),
          namespace: (o) => {
            const ns = this.namespaceOf[o] ?? 0;
            return ns === 0 ? empty : ns - 1;
          },
          name: (o) => this.nameOf[o] ?? 0,
        },
        order.subarray(0, n),
        this.count,
      ),
      pods: pods.build(),
      podLabels: podLabels.build(),
    };
    return this.tables;
  }
}

/** Entries of the index, each made an object when read. */
class Entries implements ResourceList {
  constructor(
    private readonly index: FlatIndex,
    private readonly span: OrdinalSpan,
  ) {}

  get length(): number {
    return this.span.length;
  }

  at(i: number): IndexedResource | undefined {
    const n = i < 0 ? i + this.span.length : i;
    return n >= 0 && n < this.span.length ? this.index.entry(this.span.ordinal(n)) : undefined;
  }

  *[Symbol.iterator](): Iterator<IndexedResource> {
    for (let i = 0; i < this.span.length; i++) yield this.index.entry(this.span.ordinal(i));
  }
}
