import type { Node } from 'yaml';
import type { JsonPath } from './yaml-spans';
import { nodeAlong, spanOfNode } from './yaml-spans';
import type { SourceSpan } from './index';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An earlier identity of a resource (before a prefix, suffix or namespace changed it). */
export interface ResourceId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * A resource while it is being rendered: its object (never mutated in place;
 * stages replace it), where it came from, its earlier identities (for name
 * references) and its origin overrides (paths some stage set).
 */
export interface Resource {
  object: JsonObject;
  /** The file and node the resource was read from (a generator's entry for generated ones). */
  source: { file: string; node: Node | null; span: SourceSpan; offset?: number };
  /** Identities the resource had before transformers renamed it, oldest first. */
  previous: ResourceId[];
  /** Generated, with the content hash still to be added at the end (kustomize's needsHash). */
  needsHash: boolean;
  /** A generator's behavior, for merging generators across levels. */
  generated?: { kind: 'ConfigMap' | 'Secret' };
  /** The kustomization files whose transformers ran on it, innermost first (for name references' scope). */
  layers?: string[];
  /** Paths (pathKey) set by a kustomization or patch line, and the span that set them. */
  overrides: Map<string, SourceSpan>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function metadataOf(object: JsonObject): JsonObject {
  const meta = object['metadata'];
  return isObject(meta) ? meta : {};
}

export function idOf(object: JsonObject): ResourceId {
  const apiVersion = str(object['apiVersion']);
  const slash = apiVersion.lastIndexOf('/');
  const meta = metadataOf(object);
  return {
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    version: slash === -1 ? apiVersion : apiVersion.slice(slash + 1),
    kind: str(object['kind']),
    name: str(meta['name']),
    namespace: str(meta['namespace']),
  };
}

export function sameId(a: ResourceId, b: ResourceId): boolean {
  return (
    a.group === b.group &&
    a.version === b.version &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace
  );
}

export function describeId(id: ResourceId): string {
  const gv = id.group === '' ? id.version : `${id.group}/${id.version}`;
  return `${gv} ${id.kind} ${id.namespace === '' ? '' : id.namespace + '/'}${id.name}`;
}

/** A deep copy of plain JSON. */
export function cloneJson<T extends Json>(value: T): T {
  return structuredClone(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

/** A map key for a JSON path (its steps cannot hold the separator's control character in practice, and a clash only misplaces an origin). */
export const pathKey = (path: JsonPath): string => path.join('\u0001');

/** Records that `span` set the value at `path` of `resource`. */
export function setOrigin(resource: Resource, path: JsonPath, span: SourceSpan): void {
  resource.overrides.set(pathKey(path), span);
}

/** Marks every path where `before` and `after` differ as set by `span` (for patches). */
export function recordChanges(
  resource: Resource,
  before: unknown,
  after: unknown,
  spanFor: (path: JsonPath) => SourceSpan,
  path: (string | number)[] = [],
): void {
  if (deepEqual(before, after)) return;
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(after)) recordChanges(resource, before[key], after[key], spanFor, [...path, key]);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((v, i) => recordChanges(resource, before[i], v, spanFor, [...path, i]));
    return;
  }
  setOrigin(resource, path, spanFor(path));
}

/** The origin of the value at `path`: the nearest override, else the source node. */
export function originOf(resource: Resource, path: JsonPath): SourceSpan {
  for (let n = path.length; n >= 0; n--) {
    const hit = resource.overrides.get(pathKey(path.slice(0, n)));
    if (hit !== undefined) return hit;
  }
  if (resource.source.node === null) return resource.source.span;
  const { node } = nodeAlong(resource.source.node, path);
  return spanOfNode(node, resource.source.file, resource.source.offset ?? 0);
}

export function fromFile(object: JsonObject, file: string, node: Node | null, offset = 0): Resource {
  return {
    object,
    source: { file, node, span: spanOfNode(node, file, offset), offset },
    previous: [],
    needsHash: false,
    overrides: new Map(),
  };
}
