import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { namesTypeInText, typeOf } from '../document/is-manifest.js';
import { listItemDocuments, listOf } from '../document/list-items.js';
import type { ListDocument } from '../document/list-items.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';
import { nodeAt, valueAt } from '../document/node-at.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { RULES } from '../rules/index.js';
import type { RuleContext, Severity } from '../rules/rule.js';
import type { CrdRegistry } from '../schema/crd-registry.js';
import type { JsonSchema } from '../../kube-model/json-schema.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { NodeValidator } from '../validation/validate-node.js';
import { reportMissingType } from './missing-type.js';
import { shiftDiagnostic } from './shift-diagnostic.js';
import { syntaxErrorRange } from './syntax-error-range.js';
import { keepUntyped, typesOf, untypedOf } from './untyped-facts.js';
import type { DocumentType, UntypedFacts } from './untyped-facts.js';

export interface DiagnosticsOptions {
  readonly schemas: KubernetesSchemas;
  /** Custom resource kinds defined by CRDs in the workspace. */
  readonly crds: CrdRegistry;
  /** Rule ids switched off in settings. */
  readonly disabledRules: ReadonlySet<string>;
  /**
   * Whether other files in the same folder hold manifests: then a document
   * without apiVersion or kind is reported here too, as kubectl applying the
   * folder would (otherwise only when a document of this file is a manifest).
   */
  readonly manifestsAround?: boolean;
  /**
   * The file is a kustomization's strategic merge patch: its fields and types are checked
   * against the kind's schema, but nothing is required and no whole-manifest rule runs.
   */
  readonly asPatch?: boolean;
}

/** Broken YAML can cascade into thousands of errors: the first ones are what matter. */
const MAX_SYNTAX_ERRORS = 20;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** What one chunk's own checks found, relative to the chunk: all a file's diagnostics are assembled from these. */
export interface ChunkFindings {
  /** Syntax, schema and rule findings of the chunk's manifests. */
  readonly relative: readonly Diagnostic[];
  /** Its objects without apiVersion or kind (reported only when the file or its folder holds manifests). */
  readonly untyped: UntypedFacts;
}

/**
 * Findings computed elsewhere (a worker thread) for chunks not parsed here yet, by chunk text,
 * valid for the options whose `findingsKey` is `key`: taken (once) instead of checking the chunk again.
 */
export interface PrecomputedFindings {
  readonly key: string;
  readonly byText: Map<string, ChunkFindings>;
}

/** What a chunk's findings depend on besides its text (the schemas, CRDs, rules switched off, patch mode). */
export function findingsKey(options: DiagnosticsOptions): string {
  return `diagnostics:${options.asPatch === true ? 'patch:' : ''}${options.schemas.version}:${options.crds.generation}:${[...options.disabledRules].sort().join(',')}`;
}

/** One chunk's findings, computed once per chunk text and options (kept on the parse). */
export function chunkFindings(
  parsed: ParsedChunk,
  options: DiagnosticsOptions,
  key = findingsKey(options),
  precomputed?: PrecomputedFindings,
): ChunkFindings {
  let relative = parsed.memo.get(key) as Diagnostic[] | undefined;
  let types: DocumentType[] | undefined;
  if (!relative) {
    const given = precomputed?.key === key ? precomputed.byText.get(parsed.text) : undefined;
    if (given) {
      precomputed?.byText.delete(parsed.text);
      keepUntyped(parsed, given.untyped);
      relative = [...given.relative];
    } else {
      types = typesOf(parsed.docs);
      relative = chunkDiagnostics(parsed, options, types);
    }
    parsed.memo.set(key, relative);
  }
  return { relative, untyped: untypedOf(parsed, types) };
}

/** A file's diagnostics from its chunks' findings, in file order (`startLine`: where each chunk starts). */
export function assembleDiagnostics(
  chunks: readonly { readonly startLine: number; readonly findings: ChunkFindings }[],
  options: Pick<DiagnosticsOptions, 'manifestsAround' | 'asPatch'>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let manifests = options.manifestsAround === true;
  // Loops by index: a large file's first publish runs this unoptimized, where `for...of` makes an iterator per loop.
  for (let c = 0; c < chunks.length; c++) {
    const { startLine, findings } = chunks[c] as (typeof chunks)[number];
    const relative = findings.relative;
    for (let i = 0; i < relative.length; i++) out.push(shiftDiagnostic(relative[i] as Diagnostic, startLine));
    if (findings.untyped.manifest) manifests = true;
  }
  if (options.asPatch !== true && manifests)
    for (let c = 0; c < chunks.length; c++) {
      const { startLine, findings } = chunks[c] as (typeof chunks)[number];
      const untyped = findings.untyped.diagnostics;
      for (let i = 0; i < untyped.length; i++) out.push(shiftDiagnostic(untyped[i] as Diagnostic, startLine));
    }
  return out;
}

/**
 * Diagnostics for one file: every `---` document that is a Kubernetes
 * manifest is checked on its own, and its results are cached with its parse,
 * so an edit re-validates only the document it touched. Templated files
 * (Helm, Go templates) are not YAML until rendered, so they get none.
 */
export function computeDiagnostics(
  file: ManifestFile,
  options: DiagnosticsOptions,
  precomputed?: PrecomputedFindings,
): Diagnostic[] {
  if (file.templated) return [];
  const key = findingsKey(options);
  return assembleDiagnostics(
    file.chunks.map(({ chunk, parsed }) => ({
      startLine: chunk.startLine,
      findings: chunkFindings(parsed, options, key, precomputed),
    })),
    options,
  );
}

function chunkDiagnostics(
  parsed: ParsedChunk,
  options: DiagnosticsOptions,
  types: readonly DocumentType[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const make = (
    start: number,
    end: number,
    code: string,
    message: string,
    severity: Severity = 'error',
    data?: unknown,
  ): void => {
    const d: Diagnostic = {
      range: parsed.lines.rangeAt(start, end),
      severity: SEVERITY[severity],
      source: DIAGNOSTIC_SOURCE,
      code,
      message,
    };
    // Quick fixes read `data` back from the diagnostic (the path of a schema problem).
    if (data !== undefined) d.data = data;
    out.push(d);
  };
  const atNode = (
    node: Node | undefined,
    doc: Document.Parsed,
    code: string,
    message: string,
    severity?: Severity,
    data?: unknown,
  ): void => {
    const range = node?.range ?? doc.contents?.range ?? doc.range;
    make(range[0], range[1], code, message, severity, data);
  };

  if (parsed.failure !== undefined) {
    make(
      0,
      Math.min(parsed.text.indexOf('\n') >>> 0, parsed.text.length),
      DiagnosticCode.tooComplex,
      parsed.failure,
      'warning',
    );
    return out;
  }
  // Loops by index here and below: a large file's first pass runs this code unoptimized, where
  // `for...of` calls the array iterator for each item.
  const docs = parsed.docs;
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    const type = types[d];
    if (type === undefined && !namesTypeInText(doc, parsed.text)) continue;
    const shown = Math.min(doc.errors.length, MAX_SYNTAX_ERRORS);
    for (let e = 0; e < shown; e++) {
      const error = doc.errors[e]!;
      const [start, end] =
        error.code === 'DUPLICATE_KEY'
          ? [error.pos[0], errorEnd(parsed.text, error)]
          : safeSyntaxErrorRange(doc, parsed.text, error);
      make(start, end, syntaxCode(error), syntaxMessage(error));
    }
    if (doc.errors.length > MAX_SYNTAX_ERRORS) {
      const last = doc.errors[doc.errors.length - 1];
      const at = last?.pos[0] ?? 0;
      make(
        at,
        at,
        DiagnosticCode.tooComplex,
        `${doc.errors.length - MAX_SYNTAX_ERRORS} more YAML errors in this document are not shown; fix the first ones`,
        'info',
      );
    }
    if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) continue;
    const list = listOf(doc);
    if (list) {
      checkListShape(doc, list, atNode);
      for (const item of listItemDocuments(doc)) {
        const type = typeOf(item);
        if (type) checkManifest(item, type, options, atNode);
        else reportMissingType(item, atNode);
      }
      continue;
    }
    if (type) checkManifest(doc, type, options, atNode);
  }
  return out;
}

export type ReportAt = (
  node: Node | undefined,
  doc: Document.Parsed,
  code: string,
  message: string,
  severity?: Severity,
  data?: unknown,
) => void;

/** Schema and rules for one manifest (a document, or one item of a list document). */
function checkManifest(
  doc: Document.Parsed,
  type: { apiVersion: string; kind: string },
  options: DiagnosticsOptions,
  atNode: ReportAt,
): void {
  const builtIn = options.schemas.schemaFor(type.apiVersion, type.kind);
  const custom = builtIn ? undefined : options.crds.lookup(type.apiVersion, type.kind);
  const schema = builtIn ?? (custom ? customResourceRoot(custom.schema) : undefined);
  if (schema) {
    try {
      const validator = new NodeValidator(
        doc,
        options.schemas.resolver,
        type.kind,
        undefined,
        custom !== undefined,
        options.asPatch === true,
      );
      validator.validate(doc.contents, schema, [], nodeAt(doc, ['kind']));
      const problems = validator.problems;
      for (let i = 0; i < problems.length; i++) {
        const p = problems[i]!;
        atNode(p.node, doc, p.code, p.message, 'error', { path: p.path });
      }
    } catch (error) {
      atNode(
        nodeAt(doc, ['kind']),
        doc,
        DiagnosticCode.tooComplex,
        `this document could not be checked against its schema: ${String(error)}`,
        'warning',
      );
    }
  }
  // A patch is only part of an object: the rules judge whole manifests (the rendered output).
  if (options.asPatch === true) return;
  const ctx: RuleContext = {
    doc,
    apiVersion: type.apiVersion,
    kind: type.kind,
    schemas: options.schemas,
    node: (path) => nodeAt(doc, path),
    value: (path) => valueAt(doc, path),
    report: (node, code, message, severity) => atNode(node, doc, code, message, severity),
  };
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i]!;
    if (options.disabledRules.has(rule.id)) continue;
    try {
      rule.check(ctx);
    } catch (error) {
      // A rule that trips over odd input must not hide the other diagnostics.
      console.error(`kube-workbench: rule ${rule.id} failed: ${String(error)}`);
    }
  }
}

/** A list's `items` must be a sequence of objects, as kubectl decodes it. */
function checkListShape(doc: Document.Parsed, list: ListDocument, atNode: ReportAt): void {
  const items = list.items;
  if (items === null || (isScalar(items) && items.value === null)) return;
  if (!isSeq(items)) {
    atNode(items, doc, DiagnosticCode.wrongType, `items of a ${list.kind} must be a list of objects`);
    return;
  }
  for (const item of items.items)
    if (!isMap(item))
      atNode(
        (item as Node | null) ?? items,
        doc,
        DiagnosticCode.wrongType,
        `each item of a ${list.kind} must be an object with apiVersion and kind`,
      );
}

/** A CRD's schema as the API server applies it: apiVersion, kind and metadata are implicit. */
function customResourceRoot(schema: JsonSchema): JsonSchema {
  return {
    ...schema,
    type: 'object',
    properties: {
      ...schema.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/definitions/V1ObjectMeta' },
    },
  };
}

/** Where a syntax error belongs; where the parser says when the tree is too deep to search. */
function safeSyntaxErrorRange(doc: Document.Parsed, text: string, error: YAMLError): [number, number] {
  try {
    return syntaxErrorRange(doc, text, error);
  } catch {
    return [error.pos[0], error.pos[1]];
  }
}

/** A repeated key is underlined whole (the parser marks only its first character). */
function errorEnd(text: string, error: YAMLError): number {
  if (error.code !== 'DUPLICATE_KEY') return error.pos[1];
  const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(error.pos[0]));
  return key?.[1] ? error.pos[0] + key[1].length : error.pos[1];
}

function syntaxCode(error: YAMLError): string {
  return error.code === 'DUPLICATE_KEY' ? DiagnosticCode.duplicateKey : `${DiagnosticCode.yamlSyntax}/${error.code}`;
}

/** The `yaml` package's messages, trimmed to one sentence, with a hint for the common cases. */
function syntaxMessage(error: YAMLError): string {
  const first = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'DUPLICATE_KEY')
    return 'duplicate key: the same key appears twice in this mapping, and the API server rejects that';
  if (error.code === 'TAB_AS_INDENT') return `${first}: YAML indentation must use spaces, not tabs`;
  return first;
}
