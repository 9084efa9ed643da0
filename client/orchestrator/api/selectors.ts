/**
 * Label selectors (`a=b,c!=d,e in (x,y),f notin (z),g,!h`, parsed by the shared
 * model) and field selectors (`metadata.name=x,status.phase!=Running`), as list and watch take them.
 */
import {
  matches,
  parseLabelSelector,
  SelectorSyntaxError,
  splitSelectorTerms as splitTerms,
  type Requirement,
  type SelectorOp,
} from '../../../server/kube-model/label-selector';
import { StatusError } from '../store/errors';
import { getOwn, hasOwnKey } from '../store/object';
import type { Stored } from '../store/object-store';

export type Matcher = (obj: Stored) => boolean;

/** The label selector of a request; a term that does not parse is a 400. */
function labelRequirements(text: string): Requirement[] {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw new StatusError('BadRequest', error.message);
    throw error;
  }
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
    if (!hasOwnKey(FIELDS, key))
      throw new StatusError(
        'BadRequest',
        `"${key}" is not a known field selector: only "${Object.keys(FIELDS).slice(0, 4).join('", "')}"`,
      );
    const op: SelectorOp = m[2] === '!=' ? '!=' : '=';
    return { key, op, values: [m[3]!.trim()] };
  });
  return (obj) => matches(requirements, (key) => FIELDS[key]!(obj));
}

/** A label of the object, never a property of Object.prototype (`constructor`, `toString`). */
function ownLabel(obj: Stored, key: string): string | undefined {
  const value = obj.metadata.labels ? getOwn(obj.metadata.labels, key) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** One matcher for the `labelSelector` and `fieldSelector` query parameters. */
export function selectorFromQuery(query: URLSearchParams): Matcher {
  const labels = labelRequirements(query.get('labelSelector') ?? '');
  const fields = query.get('fieldSelector') ? parseFieldSelector(query.get('fieldSelector')!) : () => true;
  return (obj) => fields(obj) && matches(labels, (key) => ownLabel(obj, key));
}
