import type { Document } from 'yaml';
import type { ManifestFile } from '../document/manifest-file.js';
import { typeOf } from '../document/is-manifest.js';
import { manifestDocuments } from '../document/list-items.js';
import type { JsonSchema } from '../../kube-model/json-schema.js';

/** A custom resource kind that a CustomResourceDefinition in the workspace defines. */
export interface CustomKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: JsonSchema;
  /** Where the CRD came from, for messages. */
  readonly source: string;
}

/**
 * Schemas of custom resources, taken from the CustomResourceDefinitions found
 * in the workspace (`spec.versions[].schema.openAPIV3Schema`; v1beta1 CRDs too), so custom
 * resources are validated like built-in kinds. Keyed by the file that holds
 * the CRD: re-reading a file replaces what it defined.
 */
export class CrdRegistry {
  private readonly bySource = new Map<string, CustomKind[]>();
  private index = new Map<string, CustomKind>();
  /** Bumped on every change, so cached diagnostics know when to recompute. */
  generation = 0;

  /** Records the CRDs of one file (none clears what it had). Returns whether anything changed. */
  update(source: string, file: ManifestFile | undefined): boolean {
    const kinds: CustomKind[] = [];
    if (file && !file.templated) {
      // `kubectl get crd -o yaml` writes a List: its items are CRDs too.
      for (const { parsed } of file.chunks)
        for (const doc of parsed.docs.flatMap(manifestDocuments)) kinds.push(...customKindsOf(doc, source));
    }
    const before = JSON.stringify(this.bySource.get(source) ?? []);
    if (before === JSON.stringify(kinds)) return false;
    if (kinds.length > 0) this.bySource.set(source, kinds);
    else this.bySource.delete(source);
    this.index = new Map();
    for (const list of this.bySource.values()) for (const k of list) this.index.set(`${k.apiVersion}/${k.kind}`, k);
    this.generation++;
    return true;
  }

  lookup(apiVersion: string, kind: string): CustomKind | undefined {
    return this.index.get(`${apiVersion}/${kind}`);
  }

  get size(): number {
    return this.index.size;
  }
}

/** Quick test on raw text, so a workspace scan parses only the files that can hold a CRD. */
export function mayHoldCrd(text: string): boolean {
  return text.includes('CustomResourceDefinition');
}

const CRD_VERSIONS = new Set(['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']);

/**
 * The kinds a CRD defines, with their schemas. A CRD under the removed
 * `apiextensions.k8s.io/v1beta1` still says what its resources look like (its
 * own removed-API error is the api-versions rule's): there a version's schema
 * is `spec.versions[].schema.openAPIV3Schema` or else the CRD-wide
 * `spec.validation.openAPIV3Schema`, and `spec.version` names the single
 * version when `spec.versions` is absent.
 */
function customKindsOf(doc: Document.Parsed, source: string): CustomKind[] {
  const type = typeOf(doc);
  if (!type || type.kind !== 'CustomResourceDefinition' || !CRD_VERSIONS.has(type.apiVersion)) return [];
  const v1beta1 = type.apiVersion === 'apiextensions.k8s.io/v1beta1';
  let crd: unknown;
  try {
    crd = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  const spec = record(record(crd)?.['spec']);
  const group = spec?.['group'];
  const kind = record(spec?.['names'])?.['kind'];
  let versions = spec?.['versions'];
  if (v1beta1 && !Array.isArray(versions) && typeof spec?.['version'] === 'string')
    versions = [{ name: spec['version'] }];
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) return [];
  const shared = v1beta1 ? record(record(spec?.['validation'])?.['openAPIV3Schema']) : undefined;
  const out: CustomKind[] = [];
  for (const v of versions) {
    const version = record(v);
    const name = version?.['name'];
    const schema = record(record(version?.['schema'])?.['openAPIV3Schema']) ?? shared;
    if (typeof name !== 'string' || !schema) continue;
    out.push({ apiVersion: `${group}/${name}`, kind, schema: schema, source });
  }
  return out;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
