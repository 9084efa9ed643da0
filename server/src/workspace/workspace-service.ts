import type { CodeLens, Diagnostic, Location, Position } from 'vscode-languageserver-types';
import { isToolConfig } from '../../kube-model/kinds.js';
import { BuiltImages } from './built-images.js';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { ManifestFile } from '../document/manifest-file.js';
import { parseManifestFile } from '../document/manifest-file.js';
import { asPieces } from '../document/text-pieces.js';
import type { TextPieces } from '../document/text-pieces.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';
import type { Severity } from '../rules/rule.js';
import { WORKSPACE_CHECKS } from './checks/index.js';
import type { WorkspaceCheckContext } from './checks/workspace-check.js';
import type { ResourceIndex, ResourceLookup } from './checks/resource-lookup.js';
import { extractResources } from './extract-resources.js';
import type { IndexedResource } from './indexed-resource.js';
import { definition, references } from './navigation.js';
import { referenceLenses } from './reference-lenses.js';
import { WorkspaceIndex } from './workspace-index.js';

export interface WorkspaceServiceOptions {
  /** Parses an open document's text or pieces (through the language service's cache). */
  parse(text: string | TextPieces): ManifestFile;
  /** Rule ids switched off in settings. */
  disabledRules(): ReadonlySet<string>;
  /** Files larger than this are not indexed. */
  maxFileLength: number;
  /** Files a kustomization uses as patches: partial objects, not indexed as resources. */
  readonly isPatch?: (uri: string) => boolean;
  /** Objects kustomize generators of the workspace make (references to them are not missing). */
  readonly generated?: (kind: string, name: string) => boolean;
}

/**
 * The workspace index and what is computed from it: cross-resource
 * diagnostics, definitions, references and reference lenses. LSP handlers
 * feed it text (open documents) and files (from disk) and ask it questions.
 */
export interface WorkspaceService {
  readonly index: WorkspaceIndex;
  /**
   * Indexes a file's text (`undefined` forgets the file). `open` documents are
   * parsed through the shared cache. True when what other documents see of
   * this file changed (so their cross-resource diagnostics may have too).
   * `parsed`, when given, is that text already parsed (the scan parses in slices). An open document's
   * text may be its pieces (see PiecedTextDocument: one object per version), read without building it.
   */
  update(uri: string, text: string | TextPieces | undefined, open?: boolean, parsed?: ManifestFile): boolean;
  /** Called after an update changed what other documents see (debounce before re-validating). */
  onDidChange(listener: (uri: string) => void): void;
  /** While true (the start-up scan), cross-resource diagnostics wait: a half-built index would report false absences. */
  scanning: boolean;
  /**
   * Cross-resource diagnostics for an indexed file. With the document's text,
   * indexes that text first (once per text), so the answer never lags the
   * editor whichever handler saw the change first.
   */
  diagnostics(uri: string, text?: string | TextPieces): Diagnostic[];
  /**
   * Computes the index entries of some chunks of an open document (`file`: those chunks) ahead of
   * its `update`, which then reuses them (a large file's indexing, a slice at a time); the index
   * itself is unchanged.
   */
  prepare(uri: string, file: ManifestFile): void;
  /**
   * The same diagnostics as `diagnostics(uri)`, given to `report` as each
   * resource is checked and not remembered: `validate` takes a large file's
   * as they come instead of holding them all at once.
   */
  /** `over`: another index to check the file's resources against (`validate`'s, cli/flat-index.ts). */
  eachDiagnostic(uri: string, report: (diagnostic: Diagnostic) => void, over?: ResourceIndex): void;
  definition(uri: string, position: Position): Location[];
  references(uri: string, position: Position, includeDeclaration: boolean): Location[];
  codeLenses(uri: string): CodeLens[];
  /** The images the workspace builds (skaffold.yaml artifacts, the `kubeWorkbench.images` setting). */
  readonly builtImages: BuiltImages;
  /** Forgets remembered cross-resource findings (what kustomize generates may have changed). */
  invalidate(): void;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Each resource's facts as text (what other documents can see), computed once per resource. */
const facts = new WeakMap<IndexedResource, string>();
/** Each resource's every fact but its positions, computed once per resource. */
const allFacts = new WeakMap<IndexedResource, string>();

const POSITION = /Range$|^range$/;

function memoized(cache: WeakMap<IndexedResource, string>, r: IndexedResource, keysOnly: boolean): string {
  let text = cache.get(r);
  if (text === undefined) {
    text = JSON.stringify(r, (key, value: unknown) => {
      if (POSITION.test(key)) return undefined;
      if (value instanceof Set && !keysOnly) return [...(value as Set<unknown>)];
      if (!(value instanceof Map)) return value;
      const map = value as Map<string, unknown>;
      return keysOnly ? [...map.keys()] : [...map.entries()];
    });
    cache.set(r, text);
  }
  return text;
}

/**
 * Whether two lists of a file's resources look the same to other documents:
 * the same facts but positions, except the line of each name (messages say
 * where a duplicate is). `everything` compares every fact (what cross-resource
 * findings are remembered by); otherwise only what decides re-publishing.
 */
function sameFacts(a: readonly IndexedResource[], b: readonly IndexedResource[], everything: boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined || y === undefined || x.nameRange.start.line !== y.nameRange.start.line) return false;
    const cache = everything ? allFacts : facts;
    if (memoized(cache, x, !everything) !== memoized(cache, y, !everything)) return false;
  }
  return true;
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

export function createWorkspaceService(options: WorkspaceServiceOptions): WorkspaceService {
  const index = new WorkspaceIndex();
  /** What the index last held of each file, to tell what an update changed. */
  const indexed = new Map<string, readonly IndexedResource[]>();
  /** The text last indexed for each open document, so the same text is not indexed twice. */
  const openTexts = new Map<string, string | TextPieces>();
  const listeners: ((uri: string) => void)[] = [];
  const builtImages = new BuiltImages();
  /**
   * Cross-resource findings per resource, valid while what every file shows
   * the others is unchanged (`generation`): an edit that changes no name,
   * label or reference re-checks only the resources it touched.
   */
  let generation = 0;
  let checkedWith: ReadonlySet<string> | undefined;
  const findings = new Map<string, { generation: number; byResource: Map<IndexedResource, Diagnostic[]> }>();
  const bump = (): void => {
    generation++;
    findings.clear();
  };
  /** What the checks of a resource in `uri` see; their findings go to `found`. */
  const checkContext = (
    uri: string,
    found: (d: Diagnostic) => void,
    lookup: ResourceLookup = index,
  ): WorkspaceCheckContext => ({
    index: lookup,
    report: (range, code, message, severity) =>
      found({ range, severity: SEVERITY[severity], source: DIAGNOSTIC_SOURCE, code, message }),
    ...(options.generated ? { generated: options.generated } : {}),
    where: (resource) =>
      `${resource.uri === uri ? 'in this file' : `in \`${fileName(resource.uri)}\``}, line ${resource.nameRange.start.line + 1}`,
  });
  /** Every check not switched off, in order, on one resource. */
  const runChecks = (resource: IndexedResource, ctx: WorkspaceCheckContext, disabled: ReadonlySet<string>): void => {
    for (const check of WORKSPACE_CHECKS) {
      if (disabled.has(check.id)) continue;
      try {
        check.check(resource, ctx);
      } catch (error) {
        console.error(`kube-workbench: workspace check ${check.id} failed: ${String(error)}`);
      }
    }
  };
  return {
    index,
    scanning: false,
    onDidChange(listener) {
      listeners.push(listener);
    },
    builtImages,
    update(uri, text, open = false, parsed = undefined) {
      if (open && text !== undefined && openTexts.get(uri) === text) return false;
      // A new image artifact changes other documents' image-tag warnings.
      if (builtImages.update(uri, text)) {
        bump();
        for (const listener of listeners) listener(uri);
      }
      if (open && text !== undefined) openTexts.set(uri, text);
      else openTexts.delete(uri);
      const resources =
        text === undefined || text.length > options.maxFileLength || options.isPatch?.(uri) === true
          ? []
          : extractResources(
              uri,
              open ? options.parse(text) : (parsed ?? parseManifestFile(asPieces(text).text())),
            ).filter(
              // Other tools' configuration (skaffold/v4 Config) is not a cluster resource.
              (r) => !isToolConfig(r.apiVersion),
            );
      index.replace(uri, resources);
      const before = indexed.get(uri) ?? [];
      if (resources.length === 0) indexed.delete(uri);
      else indexed.set(uri, resources);
      if (!sameFacts(before, resources, true)) bump();
      if (sameFacts(before, resources, false)) return false;
      for (const listener of listeners) listener(uri);
      return true;
    },
    diagnostics(uri, text) {
      if (text !== undefined) this.update(uri, text, true);
      if (this.scanning) return [];
      const disabled = options.disabledRules();
      if (checkedWith !== disabled) {
        checkedWith = disabled;
        bump();
      }
      const previous = findings.get(uri);
      const known = previous?.generation === generation ? previous.byResource : undefined;
      const byResource = new Map<IndexedResource, Diagnostic[]>();
      const out: Diagnostic[] = [];
      let found: Diagnostic[] = [];
      const ctx = checkContext(uri, (d) => found.push(d));
      for (const resource of index.resources(uri)) {
        let own = known?.get(resource);
        if (!own) {
          found = [];
          runChecks(resource, ctx, disabled);
          own = found;
        }
        byResource.set(resource, own);
        for (const d of own) out.push(d);
      }
      findings.set(uri, { generation, byResource });
      return out;
    },
    prepare(uri, file) {
      if (file.text.length > options.maxFileLength || options.isPatch?.(uri) === true) return;
      // With what the edit after the update compares (`sameFacts`): 1,000 resources' facts are tens of ms.
      for (const resource of extractResources(uri, file)) {
        memoized(allFacts, resource, false);
        memoized(facts, resource, true);
      }
    },
    eachDiagnostic(uri, report, over = index) {
      if (this.scanning) return;
      const disabled = options.disabledRules();
      const ctx = checkContext(uri, report, over);
      for (const resource of over.resources(uri)) runChecks(resource, ctx, disabled);
    },
    invalidate: bump,
    definition: (uri, position) => definition(index, uri, position),
    references: (uri, position, includeDeclaration) => references(index, uri, position, includeDeclaration),
    codeLenses: (uri) => referenceLenses(index, uri),
  };
}
