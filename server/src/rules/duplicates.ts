import { isScalar } from 'yaml';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { listLength, text } from './helpers.js';
import type { Path } from './helpers.js';
import { CONTAINER_LISTS, podSpecPath } from './pod-specs.js';
import type { Rule, RuleContext, Severity } from './rule.js';

/** Reports every repeat of a field's value across the items of one or more lists. */
function unique(ctx: RuleContext, lists: Path[], field: string, what: string, severity: Severity = 'error'): void {
  const seen = new Map<string, string>();
  for (const list of lists) {
    for (let i = 0, n = listLength(ctx, list); i < n; i++) {
      const node = ctx.node([...list, i, field]);
      if (!isScalar(node) || node.value === null) continue;
      const value = text(node.value);
      const where = `${String(list[list.length - 1])}[${i}]`;
      const first = seen.get(value);
      if (first !== undefined) {
        const message =
          severity === 'error'
            ? `duplicate ${what} \`${value}\` (first at ${first}); it must be unique`
            : `duplicate ${what} \`${value}\` (first at ${first}); this one hides the first`;
        ctx.report(node, DiagnosticCode.duplicateName, message, severity);
      } else seen.set(value, where);
    }
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
    for (const list of CONTAINER_LISTS) {
      for (let c = 0, n = listLength(ctx, [...spec, list]); c < n; c++)
        unique(ctx, [[...spec, list, c, 'env']], 'name', 'environment variable', 'warning');
    }
  },
};
