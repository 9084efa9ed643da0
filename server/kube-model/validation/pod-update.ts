/**
 * What an update may change in a Pod that exists (its metadata aside): the
 * images of its containers and init containers, `activeDeadlineSeconds` (set
 * when unset, or lowered), `tolerations` (additions, and a shorter
 * `tolerationSeconds` on an existing NoExecute toleration),
 * `terminationGracePeriodSeconds` (only to 1 from a negative value) and the
 * removal of scheduling gates. Anything else of a pod is fixed once created: a
 * user deletes and recreates the pod (or changes its workload's template).
 * Ephemeral containers change only through the `ephemeralcontainers`
 * subresource. The cluster refuses such an update; the editor warns before a
 * change to a committed Pod manifest would be refused.
 */
import type { ValidationContext } from './context';
import { type FieldError, type FieldPath, fieldString, forbidden, invalid } from './field-error';
import { isObject, jsonEqual, objectAt, type JsonObject } from './json';

const WHAT_MAY_CHANGE =
  'pod updates may not change fields other than spec.containers[*].image, spec.initContainers[*].image, ' +
  'spec.activeDeadlineSeconds, spec.tolerations (additions to the existing ones only) and ' +
  'spec.terminationGracePeriodSeconds (to 1 from a negative value)';

/** How many changed fields the message names. */
const NAMED = 3;

export function validatePodUpdate(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  if (context.operation !== 'UPDATE' || !context.old) return;
  const spec = objectAt(object, 'spec');
  const old = objectAt(context.old, 'spec');
  if (jsonEqual(spec, old)) return;
  const munged: JsonObject = { ...spec };
  for (const key of ['containers', 'initContainers'] as const) {
    const now = Array.isArray(spec[key]) ? (spec[key] as unknown[]) : [];
    const before = Array.isArray(old[key]) ? (old[key] as unknown[]) : [];
    if (now.length !== before.length) {
      out.push(forbidden(['spec', key], 'pod updates may not add or remove containers', 'immutable'));
      return;
    }
    if (spec[key] !== undefined) munged[key] = now.map((c, i) => withImageOf(c, before[i]));
  }
  checkDeadline(spec, old, munged, out);
  checkTolerations(spec, old, munged, out);
  const grace = spec.terminationGracePeriodSeconds;
  const oldGrace = old.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && grace === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (isRemovalOnly(spec.schedulingGates, old.schedulingGates)) copyKey(munged, old, 'schedulingGates');
  if (context.subresource === 'ephemeralcontainers') copyKey(munged, old, 'ephemeralContainers');
  const changed = differences(munged, old, ['spec'], []);
  if (changed.length === 0) return;
  const named = changed.slice(0, NAMED).map(fieldString).join(', ');
  const more = changed.length > NAMED ? ' and more' : '';
  const error = forbidden(['spec'], `${WHAT_MAY_CHANGE}; changed: ${named}${more}`, 'immutable');
  // The editor points at the first changed field that the new object still has.
  out.push({ ...error, locate: existingPrefix(object, changed[0] ?? ['spec']) });
}

/** A container of the update with the stored container's image (the image may change). */
function withImageOf(container: unknown, before: unknown): unknown {
  if (!isObject(container) || !isObject(before)) return container;
  const copy: JsonObject = { ...container };
  if (before.image === undefined) delete copy.image;
  else copy.image = before.image;
  return copy;
}

/** Set when unset (to a positive value) or lowered; never unset or raised. */
function checkDeadline(spec: JsonObject, old: JsonObject, munged: JsonObject, out: FieldError[]): void {
  const now = spec.activeDeadlineSeconds;
  const before = old.activeDeadlineSeconds;
  if (jsonEqual(now, before)) return;
  const path = ['spec', 'activeDeadlineSeconds'];
  if (typeof before === 'number' && now === undefined)
    out.push(invalid(path, null, 'may not be unset once set (it may only be lowered)', 'immutable'));
  else if (typeof before === 'number' && typeof now === 'number' && now > before)
    out.push(invalid(path, now, `may only be lowered, from ${before}`, 'immutable'));
  copyKey(munged, old, 'activeDeadlineSeconds');
}

/** Every stored toleration stays (a NoExecute one may get a shorter tolerationSeconds); new ones may be added. */
function checkTolerations(spec: JsonObject, old: JsonObject, munged: JsonObject, out: FieldError[]): void {
  if (jsonEqual(spec.tolerations, old.tolerations)) return;
  const now = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const before = Array.isArray(old.tolerations) ? old.tolerations : [];
  const kept = before.every((b) => now.some((n) => keepsToleration(n, b)));
  if (!kept)
    out.push(
      forbidden(
        ['spec', 'tolerations'],
        'existing tolerations may not be changed or removed, only added to',
        'immutable',
      ),
    );
  copyKey(munged, old, 'tolerations');
}

function keepsToleration(now: unknown, before: unknown): boolean {
  if (jsonEqual(now, before)) return true;
  if (!isObject(now) || !isObject(before) || before.effect !== 'NoExecute') return false;
  const { tolerationSeconds: seconds, ...rest } = now;
  const { tolerationSeconds: oldSeconds, ...oldRest } = before;
  if (!jsonEqual(rest, oldRest)) return false;
  return typeof seconds === 'number' && (typeof oldSeconds !== 'number' || seconds <= oldSeconds);
}

/** Gates may be removed (a pod becomes schedulable), never added or changed. */
function isRemovalOnly(now: unknown, before: unknown): boolean {
  const gates = Array.isArray(now) ? now : [];
  const old = Array.isArray(before) ? before : [];
  return gates.every((g) => old.some((o) => jsonEqual(g, o)));
}

function copyKey(target: JsonObject, source: JsonObject, key: string): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = source[key];
}

/** The paths where two JSON values differ (the shallowest that differs on each branch). */
function differences(a: unknown, b: unknown, path: FieldPath, out: FieldPath[]): FieldPath[] {
  if (out.length > NAMED || jsonEqual(a, b)) return out;
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences(
        Object.hasOwn(a, key) ? a[key] : undefined,
        Object.hasOwn(b, key) ? b[key] : undefined,
        [...path, key],
        out,
      );
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => differences(item, b[i], [...path, i], out));
  } else out.push(path);
  return out;
}

/** The longest prefix of `path` that exists in `object` (a removed field is pointed at through its parent). */
function existingPrefix(object: JsonObject, path: FieldPath): FieldPath {
  let node: unknown = object;
  const found: (string | number)[] = [];
  for (const segment of path) {
    if (typeof segment === 'object') break;
    const next =
      isObject(node) && typeof segment === 'string' && Object.hasOwn(node, segment)
        ? node[segment]
        : Array.isArray(node) && typeof segment === 'number'
          ? (node[segment] as unknown)
          : undefined;
    if (next === undefined) break;
    found.push(segment);
    node = next;
  }
  return found.length > 0 ? found : ['spec'];
}
