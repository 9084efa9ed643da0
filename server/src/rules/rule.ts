import type { Document, Node } from 'yaml';
import type { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';

export type Severity = 'error' | 'warning' | 'info';

/** What a rule sees of one manifest document, and how it reports. */
export interface RuleContext {
  readonly doc: Document.Parsed;
  readonly apiVersion: string;
  readonly kind: string;
  readonly schemas: KubernetesSchemas;
  /** The node at a path, aliases resolved; `undefined` when absent. */
  node(path: readonly (string | number)[]): Node | undefined;
  /** The plain value at a path (scalars, maps and lists as JS values). */
  value(path: readonly (string | number)[]): unknown;
  report(node: Node | undefined, code: DiagnosticCode, message: string, severity?: Severity): void;
}

/** One Kubernetes check. Each lives in its own file under rules/. */
export interface Rule {
  /** Setting name for switching the rule off, e.g. `image-tag`. */
  readonly id: string;
  check(ctx: RuleContext): void;
}
