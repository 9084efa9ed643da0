import { isScalar } from 'yaml';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { keyNodeOf, mapEntries } from './helpers.js';
import type { Path } from './helpers.js';
import { labelValue, qualifiedName } from '../../kube-model/name-formats.js';
import type { Rule, RuleContext } from './rule.js';

const ANNOTATIONS_LIMIT = 256 * 1024;

/**
 * Label maps to check, per kind, besides those the shared rules check (a workload's
 * template labels and selector, a Service's selector: api-validation.ts).
 */
function labelMaps(kind: string): Path[] {
  const maps: Path[] = [['metadata', 'labels']];
  if (kind === 'CronJob') maps.push(['spec', 'jobTemplate', 'metadata', 'labels']);
  return maps;
}

function checkLabels(ctx: RuleContext, path: Path): void {
  for (const { key, keyNode, valueNode } of mapEntries(ctx, path)) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) ctx.report(keyNode, DiagnosticCode.invalidLabel, `label key \`${key}\` ${keyProblem}`);
    if (isScalar(valueNode) && typeof valueNode.value === 'string') {
      const valueProblem = labelValue(valueNode.value);
      if (valueProblem)
        ctx.report(valueNode, DiagnosticCode.invalidLabel, `label value \`${valueNode.value}\` ${valueProblem}`);
    }
  }
}

function checkAnnotations(ctx: RuleContext, path: Path): void {
  let size = 0;
  for (const { key, keyNode, valueNode } of mapEntries(ctx, path)) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) ctx.report(keyNode, DiagnosticCode.invalidLabel, `annotation key \`${key}\` ${keyProblem}`);
    size += Buffer.byteLength(key);
    if (isScalar(valueNode) && typeof valueNode.value === 'string') size += Buffer.byteLength(valueNode.value);
  }
  if (size > ANNOTATIONS_LIMIT) {
    ctx.report(
      keyNodeOf(ctx, path),
      DiagnosticCode.annotationsTooLarge,
      `annotations total ${size} bytes; Kubernetes allows at most ${ANNOTATIONS_LIMIT} (256 KiB)`,
    );
  }
}

/** Label keys and values, and annotation keys and total size, as the API server validates them. */
export const labelsRule: Rule = {
  id: 'labels',
  check(ctx) {
    for (const path of labelMaps(ctx.kind)) checkLabels(ctx, path);
    checkAnnotations(ctx, ['metadata', 'annotations']);
  },
};
