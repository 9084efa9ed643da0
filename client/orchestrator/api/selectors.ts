/**
 * Label selectors (`a=b,c!=d,e in (x,y),f notin (z),g,!h`, parsed by the shared
 * model) and field selectors (`metadata.name=x,status.phase!=Running`), as list and watch take them.
 */
import {
  labelValue,
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

type FieldGetter = (obj: Stored) => string | undefined;

const META: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/**
 * The fields each kind can be selected by, beyond `metadata.name` and `metadata.namespace`
 * (the kinds Kubernetes registers field conversions for; a field they do not know is
 * `field label not supported`, while other kinds answer with the default message).
 */
const KIND_FIELDS: Record<string, Record<string, FieldGetter>> = {
  '/Pod': {
    'spec.nodeName': (o) => field(o, 'spec', 'nodeName') ?? '',
    'spec.restartPolicy': (o) => field(o, 'spec', 'restartPolicy'),
    'spec.schedulerName': (o) => field(o, 'spec', 'schedulerName'),
    'spec.serviceAccountName': (o) => field(o, 'spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(field(o, 'spec', 'hostNetwork') ?? false),
    'status.phase': (o) => field(o, 'status', 'phase'),
    'status.podIP': (o) => field(o, 'status', 'podIP') ?? '',
    'status.nominatedNodeName': (o) => field(o, 'status', 'nominatedNodeName') ?? '',
  },
  '/Node': { 'spec.unschedulable': (o) => String(field(o, 'spec', 'unschedulable') ?? false) },
  '/Namespace': { 'status.phase': (o) => field(o, 'status', 'phase') },
  '/Secret': { type: (o) => field(o, 'type') },
  '/Event': {
    type: (o) => field(o, 'type'),
    reason: (o) => field(o, 'reason'),
    reportingComponent: (o) => field(o, 'reportingComponent') ?? '',
    source: (o) => field(o, 'source', 'component') ?? '',
    'involvedObject.kind': (o) => field(o, 'involvedObject', 'kind') ?? '',
    'involvedObject.namespace': (o) => field(o, 'involvedObject', 'namespace') ?? '',
    'involvedObject.name': (o) => field(o, 'involvedObject', 'name') ?? '',
    'involvedObject.uid': (o) => field(o, 'involvedObject', 'uid') ?? '',
    'involvedObject.apiVersion': (o) => field(o, 'involvedObject', 'apiVersion') ?? '',
    'involvedObject.resourceVersion': (o) => field(o, 'involvedObject', 'resourceVersion') ?? '',
    'involvedObject.fieldPath': (o) => field(o, 'involvedObject', 'fieldPath') ?? '',
  },
  'apps/ReplicaSet': { 'status.replicas': (o) => String(field(o, 'status', 'replicas') ?? 0) },
  'batch/Job': { 'status.successful': (o) => String(field(o, 'status', 'successful') ?? 0) },
};

/** The kind a selector applies to. */
export interface SelectedKind {
  group: string;
  kind: string;
}

function field(obj: Stored, ...path: string[]): string | undefined {
  let cur: unknown = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'string' ? cur : typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : undefined;
}

export function parseFieldSelector(text: string, selected: SelectedKind): Matcher {
  const extra = getOwn(KIND_FIELDS, `${selected.group}/${selected.kind}`) as Record<string, FieldGetter> | undefined;
  const fields: Record<string, FieldGetter> = { ...META, ...extra };
  const requirements = splitTerms(text).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw new StatusError('BadRequest', `invalid selector: '${text}'; can't understand '${term}'`);
    const key = m[1]!.trim();
    if (!hasOwnKey(fields, key))
      throw new StatusError(
        'BadRequest',
        extra
          ? `field label not supported: ${key}`
          : `"${key}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    const op: SelectorOp = m[2] === '!=' ? '!=' : '=';
    return { key, op, values: [m[3]!.trim()] };
  });
  return (obj) => matches(requirements, (key) => fields[key]!(obj));
}

/** One matcher for the `labelSelector` and `fieldSelector` query parameters. */
export function selectorFromQuery(query: URLSearchParams, selected: SelectedKind): Matcher {
  const labels = labelRequirements(query.get('labelSelector') ?? '');
  const text = query.get('fieldSelector');
  const fields = text ? parseFieldSelector(text, selected) : () => true;
  return (obj) => fields(obj) && matches(labels, (key) => labelValue(obj.metadata.labels, key));
}
