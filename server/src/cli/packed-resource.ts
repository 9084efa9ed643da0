/**
 * An index entry as `validate` keeps it: its names as shared strings, its pod
 * labels as one shared record per distinct set (the lookup of a Service's pods
 * reads them for every candidate), everything else as bytes in a `FactArena`,
 * read back (as plain values, ranges packed) each time a check asks for it.
 */
import type { Range } from 'vscode-languageserver-types';
import type {
  AutoscalerFacts,
  ContainerPort,
  ContainerRequests,
  IndexedResource,
  IngressBackend,
  Labels,
  PodFacts,
  ResourceReference,
  ServiceFacts,
} from '../workspace/indexed-resource.js';
import { setOwn } from '../../kube-model/patch/json-value.js';
import type { FactArena } from './fact-arena.js';
import { flatCopy } from './string-table.js';

/** The facts kept as bytes, in the order of their fields in a record. */
const FIELDS = [
  'nameRange',
  'documentRange',
  'labels',
  'pod',
  'service',
  'dataKeys',
  'backends',
  'references',
  'autoscaler',
] as const;
const COUNT = FIELDS.length;
/** A fact's field number in a record. */
const at = (key: (typeof FIELDS)[number]): number => FIELDS.indexOf(key);
const NAME_RANGE = at('nameRange');
const DOCUMENT_RANGE = at('documentRange');
const LABELS = at('labels');
const POD = at('pod');
const SERVICE = at('service');
const DATA_KEYS = at('dataKeys');
const BACKENDS = at('backends');
const REFERENCES = at('references');
const AUTOSCALER = at('autoscaler');

/** What the entries of one file and kind share: one object instead of four fields in each entry. */
export interface Head {
  readonly uri: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly arena: FactArena;
}

export class PackedResource implements IndexedResource {
  readonly pod: PodFacts | undefined;

  constructor(
    readonly head: Head,
    readonly namespace: string | undefined,
    readonly name: string | undefined,
    readonly position: number,
    podLabels: Labels | undefined,
  ) {
    this.pod = podLabels === undefined ? undefined : new PackedPod(this, podLabels);
  }

  get uri(): string {
    return this.head.uri;
  }

  get kind(): string {
    return this.head.kind;
  }

  get apiVersion(): string {
    return this.head.apiVersion;
  }

  /** Whether `other` reads the same record: two reads of one entry of `validate`'s index (cli/flat-index.ts). */
  sameRecord(other: PackedResource): boolean {
    return this.position === other.position && this.head.arena === other.head.arena;
  }

  /** Fact `field` read back from the arena. */
  fact(field: number): unknown {
    return this.head.arena.read(this.position, field, COUNT);
  }

  get nameRange(): Range {
    return this.fact(NAME_RANGE) as Range;
  }

  get documentRange(): Range {
    return this.fact(DOCUMENT_RANGE) as Range;
  }

  get labels(): Labels {
    return this.fact(LABELS) as Labels;
  }

  get service(): ServiceFacts | undefined {
    return this.fact(SERVICE) as ServiceFacts | undefined;
  }

  get dataKeys(): ReadonlyMap<string, Range> | undefined {
    return this.fact(DATA_KEYS) as ReadonlyMap<string, Range> | undefined;
  }

  get backends(): readonly IngressBackend[] {
    return this.fact(BACKENDS) as readonly IngressBackend[];
  }

  get references(): readonly ResourceReference[] {
    return this.fact(REFERENCES) as readonly ResourceReference[];
  }

  get autoscaler(): AutoscalerFacts | undefined {
    return this.fact(AUTOSCALER) as AutoscalerFacts | undefined;
  }

  /** Every fact, as the entry it was made from (keys in the same order). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      uri: this.uri,
      kind: this.kind,
      apiVersion: this.apiVersion,
      namespace: this.namespace,
      name: this.name,
    };
    for (const [i, key] of FIELDS.entries()) out[key] = this.fact(i);
    return out;
  }
}

/** A pod's facts: the labels at hand, the rest read back from its resource's record. */
class PackedPod implements PodFacts {
  constructor(
    private readonly resource: PackedResource,
    readonly labels: Labels,
  ) {}

  private get facts(): PodFacts {
    return this.resource.fact(POD) as PodFacts;
  }

  get labelsRange(): Range | undefined {
    return this.facts.labelsRange;
  }

  get containerPorts(): readonly ContainerPort[] {
    return this.facts.containerPorts;
  }

  get containers(): readonly ContainerRequests[] {
    return this.facts.containers;
  }

  toJSON(): PodFacts {
    return this.facts;
  }
}

/** Makes packed entries: one arena, one record per distinct set of pod labels. */
export class ResourcePacker {
  private readonly labelSets = new Map<string, Labels>();
  private readonly heads = new Map<string, Head>();

  constructor(private readonly arena: FactArena) {}

  /** `r` packed, or `undefined` when some fact is not plain data (it is then kept as it is). */
  pack(r: IndexedResource): IndexedResource | undefined {
    const strings = this.arena.strings;
    if (
      typeof r.uri !== 'string' ||
      typeof r.kind !== 'string' ||
      typeof r.apiVersion !== 'string' ||
      !optionalText(r.namespace) ||
      !optionalText(r.name)
    )
      return undefined;
    let podLabels: Labels | undefined;
    if (r.pod !== undefined) {
      podLabels = this.shared(r.pod.labels);
      if (podLabels === undefined) return undefined;
    }
    const position = this.arena.put(FIELDS.map((key) => r[key]));
    if (position === undefined) return undefined;
    const key = `${r.uri}\0${r.kind}\0${r.apiVersion}`;
    let head = this.heads.get(key);
    if (head === undefined) {
      // Only the last file's heads are kept for reuse (a file's entries come together).
      if (this.heads.size > 0 && [...this.heads.values()][0]?.uri !== r.uri) this.heads.clear();
      head = {
        uri: strings.intern(r.uri),
        kind: strings.intern(r.kind),
        apiVersion: strings.intern(r.apiVersion),
        arena: this.arena,
      };
      this.heads.set(flatCopy(key), head);
    }
    return new PackedResource(
      head,
      r.namespace === undefined ? undefined : strings.intern(r.namespace),
      r.name === undefined ? undefined : strings.intern(r.name),
      position,
      podLabels,
    );
  }

  /** One record of these labels for every pod that has them (`undefined`: not a record of strings). */
  private shared(labels: unknown): Labels | undefined {
    if (typeof labels !== 'object' || labels === null || Object.getPrototypeOf(labels) !== Object.prototype)
      return undefined;
    const record = labels as Record<string, unknown>;
    const keys = Object.keys(record);
    const ids: number[] = [];
    for (const key of keys) {
      const value = record[key];
      if (typeof value !== 'string') return undefined;
      ids.push(this.arena.strings.id(key), this.arena.strings.id(value));
    }
    const key = ids.join(',');
    let kept = this.labelSets.get(key);
    if (kept === undefined) {
      const out: Record<string, string> = {};
      for (let i = 0; i < ids.length; i += 2)
        setOwn(out, this.arena.strings.text(ids[i] ?? 0), this.arena.strings.text(ids[i + 1] ?? 0));
      this.labelSets.set(key, (kept = Object.freeze(out)));
    }
    return kept;
  }
}

function optionalText(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}
