/**
 * Immutable fields, where the workspace knows the state a manifest replaces: each
 * object of the file is compared with the object of the same kind, namespace and
 * name in the file's previous version (its committed version in git), and what the
 * API server would refuse on that update (a Deployment's selector, a Job's template,
 * a StatefulSet's claims, a Service's clusterIP, an immutable ConfigMap's data, a
 * Secret's type...) is a warning: `kubectl apply` over the old object fails with it.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Document } from 'yaml';
import { isManifestDocument, typeOf } from '../document/is-manifest.js';
import { manifestDocuments } from '../document/list-items.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';
import { nodeAt, valueAt } from '../document/node-at.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { nodeFor } from '../rules/api-validation.js';
import type { RuleContext } from '../rules/rule.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { CREATE, errorText, validateKind, type FieldError } from '../../kube-model/validation/index.js';
import { jsonEqual, type JsonObject } from '../../kube-model/validation/json.js';
import { shiftDiagnostic } from './shift-diagnostic.js';

/** Where the previous state comes from, for the message. */
export const BASELINE_NAME = 'the version committed in git (HEAD)';

/** `group/Kind/namespace/name` of an object, or undefined when it has no fixed name. */
function identity(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const meta = o.metadata;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const { name, namespace } = meta as Record<string, unknown>;
  if (typeof name !== 'string' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') return undefined;
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  return `${group}/${o.kind}/${typeof namespace === 'string' ? namespace : ''}/${name}`;
}

function* manifests(parsed: ParsedChunk): Generator<Document.Parsed> {
  if (parsed.failure !== undefined) return;
  for (const doc of parsed.docs) {
    if (doc.errors.length > 0 || !isManifestDocument(doc, parsed.text)) continue;
    for (const item of manifestDocuments(doc)) if (typeOf(item)) yield item;
  }
}

/** The objects of a file by identity (the first one wins, as the duplicate check reports the rest). */
export function objectsByIdentity(file: ManifestFile): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const { parsed } of file.chunks)
    for (const doc of manifests(parsed)) {
      const value = valueAt(doc, []);
      const id = identity(value);
      if (id !== undefined && !out.has(id)) out.set(id, value as JsonObject);
    }
  return out;
}

const errorKey = (e: FieldError): string => `${e.field}\u0000${e.message}`;

/** The previous objects a file is compared with, told apart by an id for caching. */
export interface Baseline {
  readonly id: number;
  readonly objects: ReadonlyMap<string, JsonObject>;
}

/**
 * Warnings for the fields of `file` whose change from the baseline an update would
 * refuse. Computed per chunk and kept with its parse, so an edit re-checks only the
 * document it touched.
 */
export function immutableFieldWarnings(
  file: ManifestFile,
  baseline: Baseline,
  schemas: KubernetesSchemas,
): Diagnostic[] {
  if (baseline.objects.size === 0 || file.templated) return [];
  const memoKey = `immutable:${schemas.version}:${baseline.id}`;
  const out: Diagnostic[] = [];
  for (const { chunk, parsed } of file.chunks) {
    let relative = parsed.memo.get(memoKey) as Diagnostic[] | undefined;
    if (!relative) {
      relative = chunkWarnings(parsed, baseline.objects, schemas);
      parsed.memo.set(memoKey, relative);
    }
    for (const d of relative) out.push(shiftDiagnostic(d, chunk.startLine));
  }
  return out;
}

function chunkWarnings(
  parsed: ParsedChunk,
  previous: ReadonlyMap<string, JsonObject>,
  schemas: KubernetesSchemas,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of manifests(parsed)) {
    const value = valueAt(doc, []);
    const id = identity(value);
    const old = id === undefined ? undefined : previous.get(id);
    if (old === undefined || jsonEqual(old, value)) continue;
    const object = value as JsonObject;
    // What only an update says: the errors of the update that a create of the same object does not have.
    const asCreate = new Set(validateKind(object, CREATE).map(errorKey));
    const refused = validateKind(object, { operation: 'UPDATE', old }).filter((e) => !asCreate.has(errorKey(e)));
    if (refused.length === 0) continue;
    const type = typeOf(doc);
    const ctx = {
      doc,
      apiVersion: type?.apiVersion ?? '',
      kind: type?.kind ?? '',
      schemas,
      node: (path) => nodeAt(doc, path),
      value: (path) => valueAt(doc, path),
      report: () => undefined,
    } satisfies RuleContext;
    for (const e of refused) {
      const node = nodeFor(ctx, e.locate ?? e.path);
      const range = node?.range ?? doc.contents?.range ?? doc.range;
      out.push({
        range: parsed.lines.rangeAt(range[0], range[1]),
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        code: DiagnosticCode.immutableField,
        message: `${errorText(e)} (changed from ${BASELINE_NAME}: applying this over the object it created is refused; delete and re-create it instead)`,
      });
    }
  }
  return out;
}
