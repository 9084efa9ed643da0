/**
 * The Kubernetes objects a YAML text defines, with where each document sits,
 * and the order to apply (or delete) them in.
 */
import { parseAllDocuments } from 'yaml';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ManifestDocument {
  object: ManifestObject;
  /** Position of the document among the text's documents (0-based, counting empty ones). */
  index: number;
  /** Offsets of the document's content in the text. */
  start: number;
  end: number;
}

export interface ParsedManifests {
  documents: ManifestDocument[];
  /** Documents that are not Kubernetes objects (no apiVersion, kind or name) or do not parse. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses every document; `List` kinds contribute their items. */
export function parseManifests(text: string): ParsedManifests {
  const documents: ManifestDocument[] = [];
  const problems: string[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push(`document ${index + 1}: ${doc.errors[0]?.message ?? 'does not parse'}`);
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document
    const [start, , end] = doc.range;
    const items = isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      const problem = objectProblem(item);
      if (problem) problems.push(`document ${index + 1}: ${problem}`);
      else documents.push({ object: item as ManifestObject, index, start, end });
    }
  });
  return { documents, problems };
}

function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not a mapping';
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return 'has no apiVersion';
  if (typeof value.kind !== 'string' || value.kind === '') return 'has no kind';
  if (!isRecord(value.metadata) || typeof value.metadata.name !== 'string' || value.metadata.name === '')
    return `${value.kind} has no metadata.name`;
  return undefined;
}

const RANKS: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 0,
  StorageClass: 1,
  PriorityClass: 1,
  ServiceAccount: 1,
  ClusterRole: 1,
  ClusterRoleBinding: 1,
  Role: 1,
  RoleBinding: 1,
  LimitRange: 1,
  ResourceQuota: 1,
  ConfigMap: 2,
  Secret: 2,
  PersistentVolume: 3,
  PersistentVolumeClaim: 3,
  Service: 4,
  Pod: 5,
  ReplicaSet: 5,
  ReplicationController: 5,
  Deployment: 5,
  StatefulSet: 5,
  DaemonSet: 5,
  Job: 5,
  CronJob: 5,
  HorizontalPodAutoscaler: 6,
  PodDisruptionBudget: 6,
  IngressClass: 6,
  Ingress: 7,
};

/** Namespaces, then config (ConfigMaps, Secrets), storage, Services, workloads, Ingresses; others before Ingresses. */
export function applyRank(kind: string): number {
  return RANKS[kind] ?? 6;
}

/** A stable sort into apply order. */
export function sortForApply<T extends { object: { kind: string } }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => applyRank(a.item.object.kind) - applyRank(b.item.object.kind) || a.i - b.i)
    .map(({ item }) => item);
}

/** The reverse of apply order: Ingresses first, Namespaces last. */
export function sortForDelete<T extends { object: { kind: string } }>(items: readonly T[]): T[] {
  return sortForApply(items).reverse();
}

/** The document that contains an offset, or the nearest one before it. */
export function documentAt<T extends { start: number; end: number }>(
  documents: readonly T[],
  offset: number,
): T | undefined {
  let best: T | undefined;
  for (const d of documents) if (d.start <= offset) best = d;
  return best;
}
