import type { Node } from 'yaml';
import type { DiagnosticCode } from '../protocol/diagnostic-codes.js';

export type PathSegment = string | number;

/** A place in a manifest that breaks its schema. */
export interface SchemaProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The node the problem is reported on: a key for unknown fields, a value otherwise. */
  readonly node: Node | undefined;
  /** Path from the document root, e.g. ['spec', 'containers', 0, 'image']. */
  readonly path: readonly PathSegment[];
}

/** `Pod.spec.containers[0].image`: the path as people read it, from the kind. */
export function renderPath(kind: string, path: readonly PathSegment[]): string {
  let out = kind;
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return out;
}
