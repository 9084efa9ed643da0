/** Turns objects into a `meta.k8s.io/v1 Table`, the form `kubectl get` prints. */
import type { Stored } from '../../store/object-store';
import type { ResourceDef } from '../registry';

export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata';

export interface TableOptions {
  now: number;
  resourceVersion: string;
  includeObject: IncludeObject;
  /** Leave the column definitions out (later watch events). */
  withoutColumns?: boolean;
}

export function toTable(def: ResourceDef, objects: readonly Stored[], options: TableOptions): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.withoutColumns
      ? null
      : def.columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description,
          priority: c.priority,
        })),
    rows: objects.map((obj) => ({
      cells: def.columns.map((c) => c.cell(obj, options.now)),
      ...rowObject(obj, options.includeObject),
    })),
  };
}

function rowObject(obj: Stored, include: IncludeObject): { object?: unknown } {
  if (include === 'None') return {};
  if (include === 'Object') return { object: obj };
  return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } };
}

/** Whether the Accept header asks for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'PartialObjectMetadata';
}
