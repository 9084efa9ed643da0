import type { Range } from 'vscode-languageserver-types';
import type { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { Severity } from '../../rules/rule.js';
import type { IndexedResource } from '../indexed-resource.js';
import type { ResourceLookup } from './resource-lookup.js';

/** What a workspace check sees besides the resource it checks, and how it reports. */
export interface WorkspaceCheckContext {
  readonly index: ResourceLookup;
  /** Reports on the checked resource's own file. */
  report(range: Range, code: DiagnosticCode, message: string, severity: Severity): void;
  /** Where another resource is, for messages: "in this file, line 4" or "in `app/config.yaml`, line 4". */
  where(resource: IndexedResource): string;
  /** Whether a kustomization of the workspace generates this object (a ConfigMap or Secret generator's name). */
  generated?(kind: string, name: string): boolean;
}

/**
 * One cross-resource check, run for each resource of an open document
 * against the workspace index. Each lives in its own file under checks/.
 */
export interface WorkspaceCheck {
  /** Setting name for switching the check off (`kubeWorkbench.rules.<id>`). */
  readonly id: string;
  check(resource: IndexedResource, ctx: WorkspaceCheckContext): void;
}
