/**
 * A StatefulSet's pods and claims: stable names (`<set>-<ordinal>`), the
 * identity labels, hostname and subdomain, one claim per volumeClaimTemplate
 * and pod (`<template>-<pod>`), and the owner references the claim retention
 * policy asks for.
 */
import { clone, isObject, type JsonObject, type KubeObject, type OwnerReference } from '../store/object';
import type { Stored } from '../store/object-store';
import { numberOr, ownerReferenceTo } from '../machinery/controller-context';
import { REVISION_LABEL } from './controller-history';
import { isPodAvailable, isPodReady, podPhase, qosClass } from '../machinery/pod-state';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function setSpec(set: Stored): JsonObject {
  return isObject(set.spec) ? set.spec : {};
}

export function setReplicas(set: Stored): number {
  return numberOr(setSpec(set).replicas, 1);
}

/** The ordinal of a pod named `<set>-<n>`, or -1 when its name is not of that form. */
export function ordinalOf(set: Stored, pod: Stored): number {
  const prefix = `${set.metadata.name ?? ''}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export function podName(set: Stored, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

export function claimTemplates(set: Stored): JsonObject[] {
  const list = setSpec(set).volumeClaimTemplates;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function templateName(template: JsonObject): string {
  return isObject(template.metadata) && typeof template.metadata.name === 'string' ? template.metadata.name : '';
}

export function claimName(template: JsonObject, pod: string): string {
  return `${templateName(template)}-${pod}`;
}

export function revisionLabel(pod: Stored): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? '';
}

export function isTerminating(pod: Stored): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Running and Ready: what OrderedReady waits for. */
export function isRunningAndReady(pod: Stored): boolean {
  return podPhase(pod) === 'Running' && isPodReady(pod);
}

export function isHealthy(pod: Stored): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

export function isRunningAndAvailable(pod: Stored, minReadySeconds: number, now: number): boolean {
  return podPhase(pod) === 'Running' && isPodAvailable(pod, minReadySeconds, now);
}

/** The pod for `ordinal` from `template` (a revision's), labelled with the revision's name. */
export function statefulPod(set: Stored, ordinal: number, template: JsonObject, revision: string): KubeObject {
  const name = podName(set, ordinal);
  const meta = isObject(template.metadata) ? template.metadata : {};
  const spec = clone(isObject(template.spec) ? template.spec : {});
  const serviceName = setSpec(set).serviceName;
  spec.hostname = name;
  if (typeof serviceName === 'string' && serviceName !== '') spec.subdomain = serviceName;
  const claims = claimTemplates(set);
  const volumes = (Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : []).filter(
    (v) => !claims.some((c) => templateName(c) === v.name),
  );
  spec.volumes = [
    ...claims.map((c) => ({ name: templateName(c), persistentVolumeClaim: { claimName: claimName(c, name) } })),
    ...volumes,
  ];
  if ((spec.volumes as unknown[]).length === 0) delete spec.volumes;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? 'default',
      labels: {
        ...(isObject(meta.labels) ? (clone(meta.labels) as Record<string, string>) : {}),
        [REVISION_LABEL]: revision,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
      },
      ...(isObject(meta.annotations) ? { annotations: clone(meta.annotations) as Record<string, string> } : {}),
      ownerReferences: [ownerReferenceTo(set)],
    },
    spec,
    status: { phase: 'Pending', qosClass: qosClass(spec) },
  };
}

/** The claim of `template` for pod `pod`: the template's spec, labelled with the set's selector labels. */
export function statefulClaim(set: Stored, template: JsonObject, pod: string): KubeObject {
  const meta = isObject(template.metadata) ? template.metadata : {};
  const selector = isObject(setSpec(set).selector) ? (setSpec(set).selector as JsonObject) : {};
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(template, pod),
      namespace: set.metadata.namespace ?? 'default',
      labels: {
        ...(isObject(meta.labels) ? (clone(meta.labels) as Record<string, string>) : {}),
        ...(clone(matchLabels) as Record<string, string>),
      },
      ...(isObject(meta.annotations) ? { annotations: clone(meta.annotations) as Record<string, string> } : {}),
    },
    spec: clone(isObject(template.spec) ? template.spec : {}),
  };
}

export interface Retention {
  whenDeleted: 'Retain' | 'Delete';
  whenScaled: 'Retain' | 'Delete';
}

export function retentionOf(set: Stored): Retention {
  const policy = setSpec(set).persistentVolumeClaimRetentionPolicy;
  const p = isObject(policy) ? policy : {};
  return {
    whenDeleted: p.whenDeleted === 'Delete' ? 'Delete' : 'Retain',
    whenScaled: p.whenScaled === 'Delete' ? 'Delete' : 'Retain',
  };
}

function plainRef(owner: Stored): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
  };
}

/**
 * The owner references a claim of pod `pod` should carry: the set when its
 * deletion deletes claims, the pod when it is scaled away and scale-down
 * deletes them (the garbage collector then deletes the claim after the pod).
 * References to an earlier pod of the same name are dropped; others kept.
 */
export function claimOwners(
  claim: Stored,
  set: Stored,
  pod: string,
  live: Stored | undefined,
  condemned: boolean,
): OwnerReference[] {
  const retention = retentionOf(set);
  const refs = (claim.metadata.ownerReferences ?? []).filter(
    (r) => r.uid !== set.metadata.uid && !(r.kind === 'Pod' && r.name === pod),
  );
  const byPod = live !== undefined && condemned && retention.whenScaled === 'Delete';
  if (retention.whenDeleted === 'Delete' && !byPod) refs.push(plainRef(set));
  if (byPod) refs.push(plainRef(live));
  return refs;
}
