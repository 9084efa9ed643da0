/**
 * Deployment arithmetic and naming: the pod-template-hash, revisions,
 * maxSurge (rounded up) / maxUnavailable (rounded down), and which
 * ReplicaSet holds the current template.
 */
import { clone, isObject, jsonEqual, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { numberOr } from '../machinery/controller-context';

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const HASH_LABEL = 'pod-template-hash';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a (32 bit) of the template, written in the safe alphabet Kubernetes uses for generated names. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = canonical(semantic(template)) + (collisionCount > 0 ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join('');
}

export function specOf(obj: Stored): JsonObject {
  return isObject(obj.spec) ? obj.spec : {};
}

export function statusOf(obj: Stored): JsonObject {
  return isObject(obj.status) ? obj.status : {};
}

export function replicasOf(obj: Stored): number {
  return numberOr(specOf(obj).replicas, 1);
}

export function revisionOf(rs: Stored): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? 0);
  return Number.isInteger(n) ? n : 0;
}

/** `25%` of `total` rounded up (surge) or down (unavailable), or the plain number. */
function scaled(value: unknown, total: number, roundUp: boolean, fallback: string): number {
  const v = value === undefined || value === null ? fallback : value;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return 0;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** [maxSurge, maxUnavailable] for the Deployment; both zero becomes unavailable 1. */
export function surgeAndUnavailable(deploy: Stored): [number, number] {
  const spec = specOf(deploy);
  const strategy = isObject(spec.strategy) ? spec.strategy : {};
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const replicas = replicasOf(deploy);
  const surge = scaled(rolling.maxSurge, replicas, true, '25%');
  const unavailable = scaled(rolling.maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) return [0, 1];
  return [surge, Math.min(unavailable, replicas)];
}

/** A copy without nulls, empty lists and empty objects: what Go's semantic equality ignores (`creationTimestamp: null`). */
export function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(semantic);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const s = semantic(v);
    if (s === null || s === undefined) continue;
    if (Array.isArray(s) && s.length === 0) continue;
    if (isObject(s) && Object.keys(s).length === 0) continue;
    out[k] = s;
  }
  return out;
}

/** The Deployment's template without the hash label, to compare ReplicaSets against. */
export function templateWithoutHash(template: unknown): JsonObject {
  const t = clone(isObject(template) ? template : {});
  if (isObject(t.metadata) && t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
  const meta = isObject(t.metadata) ? t.metadata : undefined;
  if (meta && isObject(meta.labels)) {
    delete meta.labels[HASH_LABEL];
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
  }
  return t;
}

/** The ReplicaSet whose template is the Deployment's (the oldest when several are). */
export function findNewReplicaSet(deploy: Stored, sets: readonly Stored[]): Stored | undefined {
  const want = semantic(templateWithoutHash(specOf(deploy).template));
  return [...sets].sort(byCreation).find((rs) => jsonEqual(semantic(templateWithoutHash(specOf(rs).template)), want));
}

export function byCreation(a: Stored, b: Stored): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export function availableOf(rs: Stored): number {
  return numberOr(statusOf(rs).availableReplicas, 0);
}

export function specReplicasOf(rs: Stored): number {
  return numberOr(specOf(rs).replicas, 0);
}
