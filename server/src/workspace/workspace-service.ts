import type { CodeLens, Diagnostic, Location, Position } from 'vscode-languageserver-types';
import { isToolConfig } from '../../kube-model/kinds.js';
import { BuiltImages } from './built-images.js';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { ManifestFile } from '../document/manifest-file.js';
import { parseManifestFile } from '../document/manifest-file.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';
import type { Severity } from '../rules/rule.js';
import { WORKSPACE_CHECKS } from './checks/index.js';
import type { WorkspaceCheckContext } from './checks/workspace-check.js';
import { extractResources } from './extract-resources.js';
import type { IndexedResource } from './indexed-resource.js';
import { definition, references } from './navigation.js';
import { referenceLenses } from './reference-lenses.js';
import { WorkspaceIndex } from './workspace-index.js';

export interface WorkspaceServiceOptions {
  /** Parses an open document's text (through the language service's cache). */
  parse(text: string): ManifestFile;
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
   */
  update(uri: string, text: string | undefined, open?: boolean): boolean;
  /** Called after an update changed what other documents see (debounce before re-validating). */
  onDidChange(listener: (uri: string) => void): void;
  /** While true (the start-up scan), cross-resource diagnostics wait: a half-built index would report false absences. */
  scanning: boolean;
  /**
   * Cross-resource diagnostics for an indexed file. With the document's text,
   * indexes that text first (once per text), so the answer never lags the
   * editor whichever handler saw the change first.
   */
  diagnostics(uri: string, text?: string): Diagnostic[];
  definition(uri: string, position: Position): Location[];
  references(uri: string, position: Position, includeDeclaration: boolean): Location[];
  codeLenses(uri: string): CodeLens[];
  /** The images the workspace builds (skaffold.yaml artifacts, the `kubeWorkbench.images` setting). */
  readonly builtImages: BuiltImages;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Each resource's facts as text, computed once (resources of unchanged chunks are reused). */
const facts = new WeakMap<IndexedResource, string>();

/**
 * What other documents can see of a file's resources: every fact but its
 * positions, except the line of each name (messages say where a duplicate is).
 */
function signature(resources: readonly IndexedResource[]): string {
  return resources
    .map((r) => {
      let text = facts.get(r);
      if (text === undefined) {
        text = JSON.stringify(r, (key, value: unknown) => {
          if (/Range$|^range$/.test(key)) return undefined;
          return value instanceof Map ? [...(value as Map<string, unknown>).keys()] : value;
        });
        facts.set(r, text);
      }
      return `${r.nameRange.start.line}:${text}`;
    })
    .join('\n');
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

export function createWorkspaceService(options: WorkspaceServiceOptions): WorkspaceService {
  const index = new WorkspaceIndex();
  const signatures = new Map<string, string>();
  /** The text last indexed for each open document, so the same text is not indexed twice. */
  const openTexts = new Map<string, string>();
  const listeners: ((uri: string) => void)[] = [];
  const builtImages = new BuiltImages();
  return {
    index,
    scanning: false,
    onDidChange(listener) {
      listeners.push(listener);
    },
    builtImages,
    update(uri, text, open = false) {
      if (open && text !== undefined && openTexts.get(uri) === text) return false;
      // A new image artifact changes other documents' image-tag warnings.
      if (builtImages.update(uri, text)) for (const listener of listeners) listener(uri);
      if (open && text !== undefined) openTexts.set(uri, text);
      else openTexts.delete(uri);
      const resources =
        text === undefined || text.length > options.maxFileLength || options.isPatch?.(uri) === true
          ? []
          : extractResources(uri, open ? options.parse(text) : parseManifestFile(text)).filter(
              // Other tools' configuration (skaffold/v4 Config) is not a cluster resource.
              (r) => !isToolConfig(r.apiVersion),
            );
      index.set(uri, resources);
      const next = resources.length === 0 ? undefined : signature(resources);
      if (signatures.get(uri) === next) return false;
      if (next === undefined) signatures.delete(uri);
      else signatures.set(uri, next);
      for (const listener of listeners) listener(uri);
      return true;
    },
    diagnostics(uri, text) {
      if (text !== undefined) this.update(uri, text, true);
      if (this.scanning) return [];
      const disabled = options.disabledRules();
      const out: Diagnostic[] = [];
      const ctx: WorkspaceCheckContext = {
        index,
        report: (range, code, message, severity) =>
          out.push({ range, severity: SEVERITY[severity], source: DIAGNOSTIC_SOURCE, code, message }),
        ...(options.generated ? { generated: options.generated } : {}),
        where: (resource) =>
          `${resource.uri === uri ? 'in this file' : `in \`${fileName(resource.uri)}\``}, line ${resource.nameRange.start.line + 1}`,
      };
      for (const resource of index.resources(uri)) {
        for (const check of WORKSPACE_CHECKS) {
          if (disabled.has(check.id)) continue;
          try {
            check.check(resource, ctx);
          } catch (error) {
            console.error(`kube-workbench: workspace check ${check.id} failed: ${String(error)}`);
          }
        }
      }
      return out;
    },
    definition: (uri, position) => definition(index, uri, position),
    references: (uri, position, includeDeclaration) => references(index, uri, position, includeDeclaration),
    codeLenses: (uri) => referenceLenses(index, uri),
  };
}
