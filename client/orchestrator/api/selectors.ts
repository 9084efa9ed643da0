/**
 * Label selectors (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) and field
 * selectors (`metadata.name=x,status.phase!=Running`), as list and watch take them.
 */
import { StatusError } from '../store/errors';
import type { Stored } from '../store/object-store';

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export type Matcher = (obj: Stored) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTerms(text).map((term) => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      return {
        key: m[1]!,
        op: m[2] as Op,
        values: m[3]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      };
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
    m = /^!\s*([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1]!, op: '!', values: [] };
    m = /^([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1]!, op: 'exists', values: [] };
    throw new StatusError('BadRequest', `unable to parse requirement: found '${term}', expected: valid label selector`);
  });
}

export function matches(requirements: Requirement[], get: (key: string) => string | undefined): boolean {
  return requirements.every(({ key, op, values }) => {
    const value = get(key);
    switch (op) {
      case '=':
        return value === values[0];
      case '!=':
        return value !== values[0];
      case 'in':
        return value !== undefined && values.includes(value);
      case 'notin':
        return value === undefined || !values.includes(value);
      case 'exists':
        return value !== undefined;
      case '!':
        return value === undefined;
    }
  });
}

const FIELDS: Record<string, (obj: Stored) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'status.phase': (o) => field(o, 'status', 'phase'),
  'spec.nodeName': (o) => field(o, 'spec', 'nodeName') ?? '',
  'spec.schedulerName': (o) => field(o, 'spec', 'schedulerName'),
  'spec.serviceAccountName': (o) => field(o, 'spec', 'serviceAccountName'),
  'status.podIP': (o) => field(o, 'status', 'podIP') ?? '',
  'spec.unschedulable': (o) => String(field(o, 'spec', 'unschedulable') ?? false),
  type: (o) => field(o, 'type'),
  reason: (o) => field(o, 'reason'),
  'involvedObject.name': (o) => field(o, 'involvedObject', 'name'),
  'involvedObject.kind': (o) => field(o, 'involvedObject', 'kind'),
  'involvedObject.namespace': (o) => field(o, 'involvedObject', 'namespace'),
  'involvedObject.uid': (o) => field(o, 'involvedObject', 'uid'),
};

function field(obj: Stored, ...path: string[]): string | undefined {
  let cur: unknown = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'string' ? cur : typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : undefined;
}

export function parseFieldSelector(text: string): Matcher {
  const requirements = splitTerms(text).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw new StatusError('BadRequest', `invalid selector: '${text}'; can't understand '${term}'`);
    const key = m[1]!.trim();
    if (!FIELDS[key])
      throw new StatusError(
        'BadRequest',
        `"${key}" is not a known field selector: only "${Object.keys(FIELDS).slice(0, 4).join('", "')}"`,
      );
    const op: Op = m[2] === '!=' ? '!=' : '=';
    return { key, op, values: [m[3]!.trim()] };
  });
  return (obj) => matches(requirements, (key) => FIELDS[key]!(obj));
}

/** One matcher for the `labelSelector` and `fieldSelector` query parameters. */
export function selectorFromQuery(query: URLSearchParams): Matcher {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = query.get('fieldSelector') ? parseFieldSelector(query.get('fieldSelector')!) : () => true;
  return (obj) => fields(obj) && matches(labels, (key) => obj.metadata.labels?.[key]);
}
