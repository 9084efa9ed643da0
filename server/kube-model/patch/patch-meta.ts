/**
 * How the built-in kinds' fields merge, read from the generated table
 * (patch-metadata.ts, the same table the OpenAPI documents serve): a list
 * merges by a key field, as a set of scalars, or atomically. Strategic merge
 * patch reads the patch strategy and merge key (as kubectl does); server-side
 * apply and managedFields read the list type and its keys.
 */
import { PATCH_METADATA, type FieldPatchMeta, type TypePatchMeta } from './patch-metadata';

export type ListStrategy = { kind: 'map'; key: string } | { kind: 'set' } | { kind: 'atomic' };

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const ATOMIC: ListStrategy = { kind: 'atomic' };
const MINORS = Object.keys(PATCH_METADATA).sort((a, b) => minorNumber(a) - minorNumber(b));

function minorNumber(minor: string): number {
  return Number(minor.split('.')[1] ?? 0);
}

/** The table of a Kubernetes minor version: its own, else the newest older one, else the oldest. */
export function patchTypesOf(minor: string | undefined): Readonly<Record<string, TypePatchMeta>> {
  const wanted = minor === undefined ? minorNumber(MINORS[0]!) : minorNumber(minor);
  const chosen = [...MINORS].reverse().find((m) => minorNumber(m) <= wanted) ?? MINORS[0]!;
  return PATCH_METADATA[chosen]!;
}

/** The OpenAPI name of a built-in kind's type: `io.k8s.api.apps.v1.Deployment`, `io.k8s.api.rbac.v1.Role`. */
export function openApiTypeName(group: string, version: string, kind: string): string {
  // The Go package is named after the group's first label: rbac.authorization.k8s.io -> rbac.
  const short = group === '' ? 'core' : group.split('.')[0]!;
  return `io.k8s.api.${short}.${version}.${kind}`;
}

/** A kind the table does not know still has ObjectMeta under `metadata`. */
const UNKNOWN_KIND: TypePatchMeta = { fields: { metadata: { type: OBJECT_META } } };

const kindRoots = new WeakMap<object, Map<string, MergeSchema>>();

/** A position in an object being merged: the type of the map there, when the table knows it. */
export class MergeSchema {
  private constructor(
    private readonly types: Readonly<Record<string, TypePatchMeta>>,
    private readonly type: TypePatchMeta | undefined,
  ) {}

  /** The root of a kind's objects, for the Kubernetes minor version the cluster serves. */
  static forKind(minor: string | undefined, def: { group: string; version: string; kind: string }): MergeSchema {
    const types = patchTypesOf(minor);
    const name = openApiTypeName(def.group, def.version, def.kind);
    // One (immutable) root per table and kind: callers may key caches by it.
    let roots = kindRoots.get(types);
    if (!roots) kindRoots.set(types, (roots = new Map<string, MergeSchema>()));
    let root = roots.get(name);
    if (!root) roots.set(name, (root = new MergeSchema(types, types[name] ?? UNKNOWN_KIND)));
    return root;
  }

  /** The root of a kind the table knows, else undefined (kustomize merges an unknown kind without any schema). */
  static forKnownKind(
    minor: string | undefined,
    def: { group: string; version: string; kind: string },
  ): MergeSchema | undefined {
    const types = patchTypesOf(minor);
    const name = openApiTypeName(def.group, def.version, def.kind);
    return Object.hasOwn(types, name) ? new MergeSchema(types, types[name]) : undefined;
  }

  /** Whether the table knows the type at this position (false for `none()` and below unknown fields). */
  get known(): boolean {
    return this.type !== undefined;
  }

  /** A schema that knows nothing: every list is atomic. */
  static none(): MergeSchema {
    return new MergeSchema({}, undefined);
  }

  field(name: string): FieldPatchMeta | undefined {
    const fields = this.type?.fields;
    return fields && Object.hasOwn(fields, name) ? fields[name] : undefined;
  }

  /** The schema of a field's value (of each element, for a list; of each value, for a map). */
  child(name: string): MergeSchema {
    const typeName = this.field(name)?.type;
    const type = typeName !== undefined && Object.hasOwn(this.types, typeName) ? this.types[typeName] : undefined;
    return new MergeSchema(this.types, type);
  }

  /** How strategic merge patch merges the list in field `name`: `x-kubernetes-patch-strategy` and merge key. */
  patchList(name: string): ListStrategy {
    const meta = this.field(name);
    const strategies = (meta?.patchStrategy ?? '').split(',');
    if (!strategies.includes('merge')) return ATOMIC;
    return meta?.patchMergeKey ? { kind: 'map', key: meta.patchMergeKey } : { kind: 'set' };
  }

  /**
   * How server-side apply and managedFields treat the list in field `name`: `x-kubernetes-list-type`, else the
   * patch strategy. A map list is keyed by one field (the merge key when it is one of the list-map keys).
   */
  applyList(name: string): ListStrategy {
    const meta = this.field(name);
    if (meta?.listType === 'map') {
      const keys = meta.listMapKeys ?? [];
      const key = meta.patchMergeKey && keys.includes(meta.patchMergeKey) ? meta.patchMergeKey : keys[0];
      return key ? { kind: 'map', key } : ATOMIC;
    }
    if (meta?.listType === 'set') return { kind: 'set' };
    if (meta?.listType === 'atomic') return ATOMIC;
    return this.patchList(name);
  }
}
