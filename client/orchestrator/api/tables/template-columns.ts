/** Columns every kind with a pod template shows with `-o wide`: its containers, images and selector. */
import type { Stored } from '../../store/object-store';
import { at, column, list, str, type Column } from './columns';

/** A label selector as kubectl prints it: `app=web,tier in (a,b),!canary`. */
export function selectorText(selector: unknown): string {
  const parts: string[] = [];
  const labels = at(selector, 'matchLabels');
  if (labels && typeof labels === 'object')
    for (const [k, v] of Object.entries(labels)) parts.push(`${k}=${String(v)}`);
  for (const e of list(at(selector, 'matchExpressions'))) {
    const key = str(at(e, 'key'), '');
    const values = list(at(e, 'values')).map(String).join(',');
    const op = str(at(e, 'operator'), '');
    if (op === 'In') parts.push(`${key} in (${values})`);
    else if (op === 'NotIn') parts.push(`${key} notin (${values})`);
    else if (op === 'Exists') parts.push(key);
    else if (op === 'DoesNotExist') parts.push(`!${key}`);
  }
  return parts.length > 0 ? parts.join(',') : '<none>';
}

/** Containers and Images of the pod template under `spec(o)` (and its Selector unless `withSelector` is false). */
export function podTemplateColumns(spec: (o: Stored) => unknown, withSelector = true): Column[] {
  const containers = (o: Stored) => list(at(spec(o), 'template', 'spec', 'containers'));
  const names = (o: Stored, key: string) =>
    containers(o)
      .map((c) => str(at(c, key), ''))
      .join(',');
  return [
    column('Containers', (o) => names(o, 'name'), {
      priority: 1,
      description: 'Names of each container in the template.',
    }),
    column('Images', (o) => names(o, 'image'), {
      priority: 1,
      description: 'Images referenced by each container in the template.',
    }),
    ...(withSelector ? [column('Selector', (o) => selectorText(at(spec(o), 'selector')), { priority: 1 })] : []),
  ];
}
