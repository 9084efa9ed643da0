/** Deployment, ReplicaSet, DaemonSet and StatefulSet (apps/v1), on create and on update. */
import type { ValidationContext } from './context';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required } from './field-error';
import { mapSelects } from '../label-selector';
import { isObject, items, jsonEqual, objectAt, stringMap, type JsonObject } from './json';
import { validateLabels } from './object-meta';
import {
  nonNegative,
  type TemplateRules,
  validateIntOrPercent,
  validatePodTemplate,
  validateSelectorAndTemplate,
} from './pod-template';

const ALWAYS = ['Always'];

// Shared by every call (frozen): the checks copy a path before adding to it, and never keep these lists.
const SPEC: FieldPath = Object.freeze(['spec']);
const TEMPLATE: FieldPath = Object.freeze(['spec', 'template']);
const DEPLOYMENT_COUNTS: readonly string[] = Object.freeze(['replicas', 'minReadySeconds', 'revisionHistoryLimit']);
const REPLICA_SET_COUNTS: readonly string[] = Object.freeze(['replicas', 'minReadySeconds']);
const DAEMON_SET_COUNTS: readonly string[] = Object.freeze(['minReadySeconds', 'revisionHistoryLimit']);
const DEPLOYMENT_STRATEGY: readonly string[] = Object.freeze(['spec', 'strategy']);
const DEPLOYMENT_STRATEGIES = ['Recreate', 'RollingUpdate'];
const UPDATE_STRATEGY: readonly string[] = Object.freeze(['spec', 'updateStrategy']);
const UPDATE_STRATEGIES = ['OnDelete', 'RollingUpdate'];
const REPLICA_SET_TEMPLATE: TemplateRules = Object.freeze({
  restartPolicies: ALWAYS,
  deadlineForbiddenIn: 'ReplicaSet',
});
const DAEMON_SET_TEMPLATE: TemplateRules = Object.freeze({ restartPolicies: ALWAYS, deadlineForbiddenIn: 'DaemonSet' });
const zero = (v: unknown): boolean => v === 0 || v === '0%';

function enumField(
  parent: JsonObject,
  key: string,
  path: readonly string[],
  values: string[],
  out: FieldError[],
): void {
  const v = parent[key];
  if (v !== undefined && !(typeof v === 'string' && values.includes(v)))
    out.push(notSupported([...path, key], v, values));
}

/** The selector may not change once created (apps/v1). */
function immutableSelector(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  if (context.operation !== 'UPDATE' || !context.old) return;
  const selector = objectAt(object, 'spec').selector;
  const old = objectAt(context.old, 'spec').selector;
  if (old !== undefined && !jsonEqual(old, selector))
    out.push(invalid(['spec', 'selector'], selector, 'field is immutable', 'immutable'));
}

export function validateDeployment(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  nonNegative(spec, DEPLOYMENT_COUNTS, SPEC, out);
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0)
      out.push(invalid(['spec', 'progressDeadlineSeconds'], deadline, 'must be greater than or equal to 0'));
    else if (typeof spec.minReadySeconds === 'number' && deadline <= spec.minReadySeconds)
      out.push(invalid(['spec', 'progressDeadlineSeconds'], deadline, 'must be greater than minReadySeconds'));
  }
  validateSelectorAndTemplate(spec, 'deployment', out);
  validatePodTemplate(spec.template, TEMPLATE, REPLICA_SET_TEMPLATE, out);
  const strategy = objectAt(spec, 'strategy');
  enumField(strategy, 'type', DEPLOYMENT_STRATEGY, DEPLOYMENT_STRATEGIES, out);
  const rolling = strategy.rollingUpdate;
  if (strategy.type === 'Recreate' && rolling != null)
    out.push(
      forbidden(['spec', 'strategy', 'rollingUpdate'], "may not be specified when strategy `type` is 'Recreate'"),
    );
  else if (isObject(rolling)) {
    const at = ['spec', 'strategy', 'rollingUpdate'];
    validateIntOrPercent(rolling.maxUnavailable, [...at, 'maxUnavailable'], out);
    validateIntOrPercent(rolling.maxSurge, [...at, 'maxSurge'], out);
    if (zero(rolling.maxUnavailable) && zero(rolling.maxSurge))
      out.push(invalid([...at, 'maxUnavailable'], rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  immutableSelector(object, context, out);
}

export function validateReplicaSet(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  nonNegative(spec, REPLICA_SET_COUNTS, SPEC, out);
  validateSelectorAndTemplate(spec, 'deployment', out);
  validatePodTemplate(spec.template, TEMPLATE, REPLICA_SET_TEMPLATE, out);
  immutableSelector(object, context, out);
}

export function validateDaemonSet(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  nonNegative(spec, DAEMON_SET_COUNTS, SPEC, out);
  validateSelectorAndTemplate(spec, 'daemonset', out);
  validatePodTemplate(spec.template, TEMPLATE, DAEMON_SET_TEMPLATE, out);
  const strategy = objectAt(spec, 'updateStrategy');
  enumField(strategy, 'type', UPDATE_STRATEGY, UPDATE_STRATEGIES, out);
  if (isObject(strategy.rollingUpdate)) {
    const at = ['spec', 'updateStrategy', 'rollingUpdate'];
    validateIntOrPercent(strategy.rollingUpdate.maxUnavailable, [...at, 'maxUnavailable'], out);
    validateIntOrPercent(strategy.rollingUpdate.maxSurge, [...at, 'maxSurge'], out);
  }
  immutableSelector(object, context, out);
}

/** The StatefulSet spec fields an update may change; the rest (selector, serviceName, claim templates...) are fixed. */
export const STATEFUL_SET_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

export function validateStatefulSet(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  nonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit'], ['spec'], out);
  validateSelectorAndTemplate(spec, 'statefulset', out);
  const claims = items(spec.volumeClaimTemplates).map(([, c]) => objectAt(c, 'metadata').name);
  validatePodTemplate(
    spec.template,
    ['spec', 'template'],
    {
      restartPolicies: ALWAYS,
      deadlineForbiddenIn: 'StatefulSet',
      extraVolumes: claims.filter((n): n is string => typeof n === 'string'),
    },
    out,
  );
  enumField(spec, 'podManagementPolicy', ['spec'], ['OrderedReady', 'Parallel'], out);
  const strategy = objectAt(spec, 'updateStrategy');
  enumField(strategy, 'type', ['spec', 'updateStrategy'], ['OnDelete', 'RollingUpdate'], out);
  if (strategy.type === 'OnDelete' && strategy.rollingUpdate != null)
    out.push(
      invalid(
        ['spec', 'updateStrategy', 'rollingUpdate'],
        strategy.rollingUpdate,
        "only allowed for updateStrategy 'RollingUpdate'",
      ),
    );
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy');
  for (const key of ['whenDeleted', 'whenScaled'])
    enumField(retention, key, ['spec', 'persistentVolumeClaimRetentionPolicy'], ['Delete', 'Retain'], out);
  if (context.operation !== 'UPDATE' || !context.old) return;
  const old = objectAt(context.old, 'spec');
  const keys = new Set([...Object.keys(spec), ...Object.keys(old)]);
  if ([...keys].every((k) => STATEFUL_SET_MUTABLE.includes(k) || jsonEqual(spec[k], old[k]))) return;
  const names = STATEFUL_SET_MUTABLE.map((k) => `'${k}'`);
  out.push(
    forbidden(
      ['spec'],
      `updates to statefulset spec for fields other than ${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''} are forbidden`,
      'immutable',
    ),
  );
}

/** A ReplicationController (v1): a map selector, defaulted from the template's labels when empty. */
export function validateReplicationController(
  object: JsonObject,
  _context: ValidationContext,
  out: FieldError[],
): void {
  const spec = objectAt(object, 'spec');
  nonNegative(spec, ['replicas', 'minReadySeconds'], ['spec'], out);
  const labels = objectAt(objectAt(spec.template, 'metadata'), 'labels');
  // An empty selector defaults to the template's labels (on the server, before validation): required only without both.
  const empty = (v: unknown) => !isObject(v) || Object.keys(v).length === 0;
  if (empty(spec.selector) && empty(labels)) out.push(required(['spec', 'selector']));
  if (!isObject(spec.template)) out.push(required(['spec', 'template']));
  validateLabels(spec.selector, ['spec', 'selector'], out);
  if (
    isObject(spec.selector) &&
    Object.keys(spec.selector).length > 0 &&
    !mapSelects(stringMap(spec.selector), stringMap(labels))
  )
    out.push(
      invalid(
        ['spec', 'template', 'metadata', 'labels'],
        labels,
        '`selector` does not match template `labels`',
        'selector',
      ),
    );
  validatePodTemplate(
    spec.template,
    ['spec', 'template'],
    { restartPolicies: ALWAYS, deadlineForbiddenIn: 'ReplicationController' },
    out,
  );
}
