/** `metadata` of every kind: the name's format, label keys and values, annotation keys and size. */
import {
  DNS1035_LABEL_MAX_LENGTH,
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  labelValueErrors,
  qualifiedNameErrors,
} from '../name-formats';
import { type FieldError, type FieldPath, invalid, required, tooLong } from './field-error';
import { isObject, type JsonObject } from './json';

export type NameRule = 'subdomain' | 'label' | 'dns1035';

const NAME_TEXT: Record<NameRule, [(v: string) => boolean, number, string]> = {
  subdomain: [
    isDns1123Subdomain,
    DNS1123_SUBDOMAIN_MAX_LENGTH,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  ],
  label: [
    isDns1123Label,
    DNS1123_LABEL_MAX_LENGTH,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  ],
  dns1035: [
    isDns1035Label,
    DNS1035_LABEL_MAX_LENGTH,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  ],
};

/** A name of the given format (objects, containers, volumes); `Required value` when absent or empty. */
export function validateName(name: unknown, path: FieldPath, rule: NameRule, out: FieldError[]): void {
  if (typeof name !== 'string' || name === '') {
    out.push(required(path, '', 'name'));
    return;
  }
  // By index, not destructured: the first pass of a large file runs this unoptimized (an iterator per call).
  const format = NAME_TEXT[rule];
  const valid = format[0];
  const max = format[1];
  const text = format[2];
  if (name.length > max) out.push(invalid(path, name, `must be no more than ${max} characters`, 'name'));
  else if (!valid(name)) out.push(invalid(path, name, text, 'name'));
}

/** Whether `validateName` would find nothing (callers build the name's path only when it would). */
export function isValidName(name: unknown, rule: NameRule): boolean {
  if (typeof name !== 'string' || name === '') return false;
  const format = NAME_TEXT[rule];
  return name.length <= format[1] && format[0](name);
}

/** Label keys and values of a map (metadata.labels, template labels, matchLabels). */
export function validateLabels(labels: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(labels)) return;
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = labels[key];
    // Kubernetes names the whole map; the editor points at the key or the value.
    const keyErrors = qualifiedNameErrors(key);
    for (let k = 0; k < keyErrors.length; k++)
      out.push({ ...invalid(path, key, keyErrors[k]!, 'label'), locate: [...path, { key }] });
    if (typeof value !== 'string') continue;
    const valueErrors = labelValueErrors(value);
    for (let k = 0; k < valueErrors.length; k++)
      out.push({ ...invalid(path, value, valueErrors[k]!, 'label'), locate: [...path, key] });
  }
}

/** Whether `validateLabels` would find nothing (callers build the map's path only when it would not). */
export function labelsValid(labels: unknown): boolean {
  if (!isObject(labels)) return true;
  // By index: the first pass of a large file runs this unoptimized, where `for...of` calls the iterator per key.
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (qualifiedNameErrors(key).length > 0) return false;
    const value = labels[key];
    if (typeof value === 'string' && labelValueErrors(value).length > 0) return false;
  }
  return true;
}

/** The most bytes the keys and values of an object's annotations may hold together. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

export function validateAnnotations(annotations: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(annotations)) return;
  let size = 0;
  const entries = Object.entries(annotations);
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i]![0];
    const value = entries[i]![1];
    for (const detail of qualifiedNameErrors(key.toLowerCase()))
      out.push({ ...invalid(path, key, detail, 'label'), locate: [...path, { key }] });
    size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (size > ANNOTATIONS_MAX_BYTES) out.push(tooLong(path, ANNOTATIONS_MAX_BYTES, 'label'));
}

/**
 * Built-in kinds whose names the editor checks (others, like RBAC roles, allow any
 * path segment: `system:controller:x`). The cluster checks every kind it serves.
 */
export const NAME_CHECKED_KINDS: readonly string[] = [
  'Namespace',
  'Service',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ConfigMap',
  'Secret',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'StorageClass',
  'Endpoints',
  'LimitRange',
  'ResourceQuota',
  'Node',
  'PriorityClass',
  'PodTemplate',
];

/** Which name format a kind's objects follow (Kubernetes' per-kind `ValidateXName`). */
export function nameRuleOf(kind: string): NameRule {
  if (kind === 'Service') return 'dns1035';
  if (kind === 'Namespace') return 'label';
  return 'subdomain';
}

/** An object's metadata as the API server checks it on every write (the name after `generateName` is applied). */
export function validateObjectMeta(kind: string, metadata: unknown, out: FieldError[]): void {
  const meta: JsonObject = isObject(metadata) ? metadata : {};
  validateName(meta.name, ['metadata', 'name'], nameRuleOf(kind), out);
  validateLabels(meta.labels, ['metadata', 'labels'], out);
  validateAnnotations(meta.annotations, ['metadata', 'annotations'], out);
}
