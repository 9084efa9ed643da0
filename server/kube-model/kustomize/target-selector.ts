/**
 * A patch's `target` (and `replicas`-style selectors), matched as kustomize matches them: `group`, `version`,
 * `kind`, `name` and `namespace` are regular expressions anchored at both ends (`^(?:...)$`), an empty or
 * missing field matches anything; `name` and `namespace` match the resource's original or current value; a
 * resource without a namespace is in `default` (a cluster-scoped one in `_non_namespaceable_`, kustomize's
 * placeholder, which `.*` matches); `labelSelector` and
 * `annotationSelector` are label selector strings (`app=web,tier in (a,b),!legacy`).
 *
 * Kustomize's expressions are Go's (RE2, linear time). Here they run on JavaScript's engine, so a pattern
 * that could backtrack badly (a repeated group that itself repeats, like `(a+)+`) and the features RE2 does
 * not have (backreferences, lookaround) are refused with an error instead of being run.
 */
import { groupVersionOf, isNamespacedKind } from '../kinds';
import { matches, parseLabelSelector, SelectorSyntaxError, type Requirement } from '../label-selector';
import { getOwn, isObject, type JsonObject } from '../patch/json-value';

export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A resource as the selector sees it; `original*` are its name and namespace before prefixes and namespace changes. */
export interface SelectableResource {
  object: JsonObject;
  originalName?: string;
  originalNamespace?: string;
}

export class SelectorError extends Error {
  constructor(
    message: string,
    /** The selector field that is wrong (`name`, `labelSelector`...). */
    readonly field: keyof TargetSelector | 'target',
  ) {
    super(message);
    this.name = 'SelectorError';
  }
}

const REGEX_FIELDS = ['group', 'version', 'kind', 'name', 'namespace'] as const;
const SELECTOR_FIELDS = ['labelSelector', 'annotationSelector'] as const;
const MAX_PATTERN = 1000;

/** Go's syntax where it differs from JavaScript's and is common: `(?P<n>...)` groups and a leading `(?i)`. */
function compilePattern(pattern: string, field: keyof TargetSelector): RegExp {
  if (pattern.length > MAX_PATTERN)
    throw new SelectorError(`${field}: the pattern is longer than ${MAX_PATTERN} characters`, field);
  let source = pattern.replace(/\(\?P</g, '(?<');
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags += 'i';
  }
  if (/\\[1-9]|\(\?<?[=!]/.test(source))
    throw new SelectorError(
      `${field}: ${JSON.stringify(pattern)} uses a backreference or lookaround, which kustomize's regular expressions do not have`,
      field,
    );
  if (/\([^()]*[+*}][^()]*\)[+*]|\([^()]*[+*}][^()]*\)\{\d+,\}/.test(source))
    throw new SelectorError(
      `${field}: ${JSON.stringify(pattern)} repeats a group that itself repeats; write it without the nesting`,
      field,
    );
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    throw new SelectorError(
      `${field}: ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`,
      field,
    );
  }
}

/** Reads a `target` map from a kustomization; throws SelectorError for fields that are not strings. */
export function readTargetSelector(value: unknown): TargetSelector {
  if (!isObject(value)) throw new SelectorError('target must be a map', 'target');
  const out: TargetSelector = {};
  for (const field of [...REGEX_FIELDS, ...SELECTOR_FIELDS]) {
    const v = getOwn(value, field);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new SelectorError(`${field} must be a string`, field);
    out[field] = v;
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

const metadataOf = (o: JsonObject): JsonObject => {
  const m = getOwn(o, 'metadata');
  return isObject(m) ? m : {};
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The namespace kustomize compares: `default` for an unset one, its placeholder for cluster-scoped kinds. */
function effectiveNamespace(kind: string, namespace: string): string {
  if (!isNamespacedKind(kind)) return '_non_namespaceable_';
  return namespace === '' ? 'default' : namespace;
}

/** A compiled selector: `matches(resource)`. Throws SelectorError for a bad pattern or selector string. */
export function compileTargetSelector(selector: TargetSelector): (resource: SelectableResource) => boolean {
  const regex: Partial<Record<(typeof REGEX_FIELDS)[number], RegExp>> = {};
  for (const field of REGEX_FIELDS) {
    const pattern = selector[field];
    if (pattern) regex[field] = compilePattern(pattern, field);
  }
  const requirements: Partial<Record<(typeof SELECTOR_FIELDS)[number], Requirement[]>> = {};
  for (const field of SELECTOR_FIELDS) {
    const text = selector[field];
    if (!text) continue;
    try {
      requirements[field] = parseLabelSelector(text);
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw new SelectorError(`${field}: ${e.message}`, field);
      throw e;
    }
  }
  return (resource) => {
    const o = resource.object;
    const meta = metadataOf(o);
    const kind = str(getOwn(o, 'kind'));
    const { group, version } = groupVersionOf(str(getOwn(o, 'apiVersion')));
    const name = str(getOwn(meta, 'name'));
    const namespace = str(getOwn(meta, 'namespace'));
    const either = (re: RegExp | undefined, a: string, b: string) => !re || re.test(a) || re.test(b);
    if (
      !either(
        regex.namespace,
        effectiveNamespace(kind, resource.originalNamespace ?? namespace),
        effectiveNamespace(kind, namespace),
      )
    )
      return false;
    if (!either(regex.name, resource.originalName ?? name, name)) return false;
    if (regex.group && !regex.group.test(group)) return false;
    if (regex.version && !regex.version.test(version)) return false;
    if (regex.kind && !regex.kind.test(kind)) return false;
    const labels = stringMap(getOwn(meta, 'labels'));
    const annotations = stringMap(getOwn(meta, 'annotations'));
    if (requirements.labelSelector && !matches(requirements.labelSelector, (k) => labels[k])) return false;
    if (requirements.annotationSelector && !matches(requirements.annotationSelector, (k) => annotations[k]))
      return false;
    return true;
  };
}

/** The resources `selector` picks, in their order. Throws SelectorError for a bad pattern or selector string. */
export function selectTargets<T extends SelectableResource>(resources: readonly T[], selector: TargetSelector): T[] {
  const match = compileTargetSelector(selector);
  return resources.filter(match);
}
