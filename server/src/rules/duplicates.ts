import { isScalar, isSeq } from 'yaml';
import { childAt } from '../document/node-at.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { text } from './helpers.js';
import { CONTAINER_LISTS, podSpecPath } from './pod-specs.js';
import type { Rule, RuleContext, Severity } from './rule.js';

/** Reports every repeat of a field's value across the items of a list (`seq`, written in the document as `name`). */
function unique(ctx: RuleContext, seq: unknown, name: string, field: string, what: string, severity: Severity): void {
  if (!isSeq(seq)) return;
  // Where each value was first seen: its item's index.
  const seen = new Map<string, number>();
  for (let i = 0, n = seq.items.length; i < n; i++) {
    const node = childAt(ctx.doc, childAt(ctx.doc, seq, i), field);
    if (!isScalar(node) || node.value === null) continue;
    const value = text(node.value);
    const at = seen.get(value);
    if (at !== undefined) {
      const first = `${name}[${at}]`;
      const message =
        severity === 'error'
          ? `duplicate ${what} \`${value}\` (first at ${first}); it must be unique`
          : `duplicate ${what} \`${value}\` (first at ${first}); this one hides the first`;
      ctx.report(node, DiagnosticCode.duplicateName, message, severity);
    } else seen.set(value, i);
  }
}

/**
 * Repeated env names are legal but the last one wins, so they are warnings. (Names
 * the API server requires to be unique are checked by the shared rules: api-validation.ts.)
 */
export const duplicatesRule: Rule = {
  id: 'duplicates',
  check(ctx) {
    const spec = podSpecPath(ctx.kind);
    if (!spec) return;
    const specNode = ctx.node(spec);
    for (let l = 0; l < CONTAINER_LISTS.length; l++) {
      const list = CONTAINER_LISTS[l]!;
      // Each container below the list's node (no path from the root per container).
      const containers = childAt(ctx.doc, specNode, list);
      for (let c = 0, n = isSeq(containers) ? containers.items.length : 0; c < n; c++) {
        const env = childAt(ctx.doc, childAt(ctx.doc, containers, c), 'env');
        unique(ctx, env, 'env', 'name', 'environment variable', 'warning');
      }
    }
  },
};
