import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { JsonSchema } from '../../kube-model/json-schema.js';
import {
  CREATE,
  errorText,
  hasKindValidation,
  NAME_CHECKED_KINDS,
  nameRuleOf,
  validateAnnotations,
  validateKind,
  validateLabels,
  validateName,
  type FieldError,
  type FieldPath,
} from '../../kube-model/validation/index.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { keyNodeOf } from './helpers.js';
import type { Rule, RuleContext } from './rule.js';

/** The diagnostic code of a shared rule's error: duplicates, then by what it is about, then by its Kubernetes error type. */
function codeOf(e: FieldError): DiagnosticCode {
  if (e.type === 'FieldValueDuplicate') return DiagnosticCode.duplicateName;
  if (e.type === 'FieldValueRequired') return DiagnosticCode.missingRequired;
  if (e.type === 'FieldValueTooLong' && e.field === 'metadata.annotations') return DiagnosticCode.annotationsTooLarge;
  switch (e.topic) {
    case 'name':
      return DiagnosticCode.invalidName;
    case 'label':
      return DiagnosticCode.invalidLabel;
    case 'port':
      return DiagnosticCode.invalidPort;
    case 'selector':
      return DiagnosticCode.selectorMismatch;
    case 'immutable':
      return DiagnosticCode.immutableField;
  }
  if (e.type === 'FieldValueNotSupported') return DiagnosticCode.invalidEnum;
  return DiagnosticCode.invalidValue;
}

/** Where Kubernetes names a field the manifest writes under another name. */
const WRITTEN_AS: Record<string, string> = { clusterIPs: 'clusterIP' };

/**
 * The YAML node to underline for a field path: the value when it is a scalar, the key
 * of a map entry (`data[key]`), or the key of the deepest field the document has.
 */
export function nodeFor(ctx: RuleContext, path: FieldPath): Node | undefined {
  const plain: (string | number)[] = [];
  for (const s of path) {
    if (typeof s === 'object') {
      const map = ctx.node(plain);
      const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === s.key) : undefined;
      return pair && isScalar(pair.key) ? pair.key : keyNodeOf(ctx, plain);
    }
    if (ctx.node([...plain, s]) === undefined) {
      // `spec.clusterIPs[0]` is the `spec.clusterIP` the manifest wrote.
      const written = typeof s === 'string' ? WRITTEN_AS[s] : undefined;
      const alias = written === undefined ? undefined : ctx.node([...plain, written]);
      return alias ?? (plain.length > 0 ? keyNodeOf(ctx, plain) : undefined) ?? ctx.node(['kind']);
    }
    plain.push(s);
  }
  const node = ctx.node(plain);
  return isScalar(node) ? node : (keyNodeOf(ctx, plain) ?? node);
}

/** The schema at a field path, `$ref`s resolved; undefined where the path leaves the schema. */
function schemaAt(ctx: RuleContext, path: FieldPath): JsonSchema | undefined {
  let schema = ctx.schemas.schemaFor(ctx.apiVersion, ctx.kind);
  for (const s of path) {
    if (!schema) return undefined;
    schema = ctx.schemas.resolver.resolve(schema);
    if (typeof s === 'number') schema = schema.items;
    else if (typeof s === 'string') schema = schema.properties?.[s];
    else return undefined;
  }
  return schema ? ctx.schemas.resolver.resolve(schema) : undefined;
}

/**
 * What the schema check already reports, so it is said once: an absent field the
 * schema requires, or a value outside the schema's enum.
 */
function schemaReports(ctx: RuleContext, e: FieldError): boolean {
  const value = ctx.value(e.path.filter((s) => typeof s !== 'object'));
  if (e.type === 'FieldValueNotSupported') {
    const values = e.path.some((s) => typeof s === 'object') ? undefined : schemaAt(ctx, e.path)?.enum;
    return values !== undefined && !values.includes(value);
  }
  if (e.type !== 'FieldValueRequired' || e.message !== 'Required value') return false;
  const last = e.path[e.path.length - 1];
  if (typeof last !== 'string' || value !== undefined) return false;
  return schemaAt(ctx, e.path.slice(0, -1))?.required?.includes(last) ?? false;
}

/**
 * Metadata as the editor checks it: the name of the kinds whose name format is known
 * (absent is fine when `generateName` is given: the cluster makes the name), labels
 * and annotations of every kind.
 */
function metadataErrors(ctx: RuleContext): FieldError[] {
  const out: FieldError[] = [];
  const name = ctx.value(['metadata', 'name']);
  const generated = name === undefined && ctx.value(['metadata', 'generateName']) !== undefined;
  if (NAME_CHECKED_KINDS.includes(ctx.kind) && !generated)
    validateName(name, ['metadata', 'name'], nameRuleOf(ctx.kind), out);
  validateLabels(ctx.value(['metadata', 'labels']), ['metadata', 'labels'], out);
  validateAnnotations(ctx.value(['metadata', 'annotations']), ['metadata', 'annotations'], out);
  return out;
}

/**
 * The API server's own validation (server/kube-model/validation): metadata, then
 * each kind's rules, the same the embedded cluster applies, with Kubernetes' field
 * path and wording.
 */
export const apiValidationRule: Rule = {
  id: 'api-validation',
  check(ctx) {
    // The whole document as a plain object is made only for a kind with rules of its own.
    const kindErrors = mayHaveKindRules(ctx.doc.contents) ? validateKind(ctx.value([]), CREATE) : [];
    // The metadata's errors, then the kind's (by index: the first pass of a large file runs this unoptimized).
    const metaErrors = metadataErrors(ctx);
    for (let i = 0; i < metaErrors.length + kindErrors.length; i++) {
      const e = i < metaErrors.length ? metaErrors[i]! : kindErrors[i - metaErrors.length]!;
      if (schemaReports(ctx, e)) continue;
      ctx.report(nodeFor(ctx, e.locate ?? e.path), codeOf(e), errorText(e));
    }
  },
};

/**
 * Whether `validateKind` of the document's plain value can find anything: false only when the
 * `apiVersion` and `kind` that value would have (the last of each key, as the conversion keeps)
 * are known from the top-level nodes and name no kind with rules, or are not both strings.
 * Anything the direct conversion hands to the `yaml` package (merge keys, keys that are not
 * scalars, aliases) answers true: the value is made and judged as before.
 */
function mayHaveKindRules(contents: unknown): boolean {
  if (!isMap(contents)) return true;
  let apiVersion: unknown = undefined;
  let kind: unknown = undefined;
  const pairs = contents.items;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const key: unknown = pair.key;
    if (!isScalar(key)) return true;
    const name = key.value;
    if (typeof name !== 'string') continue;
    if (name === '<<') return true;
    if (name === 'apiVersion') apiVersion = pair.value;
    else if (name === 'kind') kind = pair.value;
  }
  if (apiVersion === undefined || kind === undefined) return false;
  if (!isScalar(apiVersion) || !isScalar(kind)) return true;
  const a = apiVersion.value;
  const k = kind.value;
  return typeof a === 'string' && typeof k === 'string' && hasKindValidation(a, k);
}
