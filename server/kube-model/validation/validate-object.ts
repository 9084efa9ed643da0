/**
 * The API server's validation beyond the schema, one entry for the editor and
 * the cluster: `validateKind` checks what is particular to a kind (the editor
 * calls it on each manifest as a create), `validateObject` adds the metadata
 * checks every object gets (the cluster calls it on every write).
 */
import { type ValidationContext } from './context';
import type { FieldError } from './field-error';
import { isObject, type JsonObject } from './json';
import { validateConfigMap, validateSecret } from './config-data';
import { validateHorizontalPodAutoscaler } from './hpa';
import { validateIngress } from './ingress';
import { validateCronJob, validateJob } from './job';
import { validateObjectMeta } from './object-meta';
import { validatePodDisruptionBudget } from './pdb';
import { validatePodSpec } from './pod-spec';
import { validatePodUpdate } from './pod-update';
import { validatePodTemplate } from './pod-template';
import { validatePersistentVolumeClaim } from './pvc';
import { validateService } from './service';
import {
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateReplicationController,
  validateStatefulSet,
} from './workloads';

type Validator = (object: JsonObject, context: ValidationContext, out: FieldError[]) => void;

/** Validators by `apiVersion kind` (the group's served version only: other versions have other shapes). */
const VALIDATORS: Record<string, Validator> = {
  'v1 Pod': (o, c, out) => {
    validatePodSpec(o.spec, ['spec'], out);
    validatePodUpdate(o, c, out);
  },
  'v1 PodTemplate': (o, _c, out) => validatePodTemplate(o.template, ['template'], {}, out),
  'v1 ReplicationController': validateReplicationController,
  'apps/v1 Deployment': validateDeployment,
  'apps/v1 ReplicaSet': validateReplicaSet,
  'apps/v1 DaemonSet': validateDaemonSet,
  'apps/v1 StatefulSet': validateStatefulSet,
  'batch/v1 Job': validateJob,
  'batch/v1 CronJob': validateCronJob,
  'v1 Service': validateService,
  'networking.k8s.io/v1 Ingress': (o, _c, out) => validateIngress(o, out),
  'v1 ConfigMap': validateConfigMap,
  'v1 Secret': validateSecret,
  'v1 PersistentVolumeClaim': validatePersistentVolumeClaim,
  'autoscaling/v2 HorizontalPodAutoscaler': (o, _c, out) => validateHorizontalPodAutoscaler(o, out),
  'policy/v1 PodDisruptionBudget': (o, _c, out) => validatePodDisruptionBudget(o, out),
};

/** Whether the shared validation has rules for this apiVersion and kind. */
export const hasKindValidation = (apiVersion: string, kind: string): boolean =>
  Object.hasOwn(VALIDATORS, `${apiVersion} ${kind}`);

/** The kind's own rules (not metadata); none for a kind without any. */
export function validateKind(object: unknown, context: ValidationContext): FieldError[] {
  if (!isObject(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return [];
  const key = `${object.apiVersion} ${object.kind}`;
  const out: FieldError[] = [];
  if (Object.hasOwn(VALIDATORS, key)) VALIDATORS[key]?.(object, context, out);
  return out;
}

/** Everything the API server's validation finds in an object: its metadata, then its kind's rules. */
export function validateObject(object: unknown, context: ValidationContext): FieldError[] {
  if (!isObject(object)) return [];
  const out: FieldError[] = [];
  if (typeof object.kind === 'string') validateObjectMeta(object.kind, object.metadata, out);
  return [...out, ...validateKind(object, context)];
}
