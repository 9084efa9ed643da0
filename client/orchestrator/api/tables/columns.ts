/** How a resource's table columns are declared; the cells are computed from the object. */
import type { Stored } from '../../store/object-store';
import { age as ageOf } from './age';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: 'name' | '';
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
  cell(obj: Stored, now: number): string | number | boolean;
}

/** Safe reads of nested JSON. */
export function at(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown, fallback = '<none>'): string {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : fallback;
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export function nameColumn(): Column {
  return {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    priority: 0,
    cell: (o) => o.metadata.name ?? '',
  };
}

export function ageColumn(): Column {
  return {
    name: 'Age',
    type: 'string',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
    cell: (o, now) => ageOf(o.metadata.creationTimestamp, now),
  };
}

export function column(
  name: string,
  cell: Column['cell'],
  options: { priority?: 0 | 1; type?: Column['type']; description?: string } = {},
): Column {
  return {
    name,
    type: options.type ?? 'string',
    description: options.description ?? name,
    priority: options.priority ?? 0,
    cell,
  };
}

/** Joins values the way kubectl does: comma separated, `<none>` when empty, elided past a few. */
export function joinLimited(values: string[], limit = 3): string {
  if (values.length === 0) return '<none>';
  if (values.length <= limit) return values.join(',');
  return `${values.slice(0, limit).join(',')} + ${values.length - limit} more...`;
}
