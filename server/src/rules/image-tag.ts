import { isScalar, isSeq } from 'yaml';
import { childAt } from '../document/node-at.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { CONTAINER_LISTS, podSpecPath } from './pod-specs.js';
import type { Rule } from './rule.js';

/** An image with no tag, or `:latest`, changes under you: warn and suggest pinning a version. */
export const imageTagRule: Rule = {
  id: 'image-tag',
  check(ctx) {
    const spec = podSpecPath(ctx.kind);
    if (!spec) return;
    const specNode = ctx.node(spec);
    for (let l = 0; l < CONTAINER_LISTS.length; l++) {
      const list = CONTAINER_LISTS[l]!;
      // Each container's image below the list's node (no path from the root per container).
      const seq = childAt(ctx.doc, specNode, list);
      for (let i = 0, n = isSeq(seq) ? seq.items.length : 0; i < n; i++) {
        const node = childAt(ctx.doc, childAt(ctx.doc, seq, i), 'image');
        const image = isScalar(node) && typeof node.value === 'string' ? { value: node.value, node } : undefined;
        if (!image || image.value.includes('@')) continue; // pinned by digest
        const lastSegment = image.value.slice(image.value.lastIndexOf('/') + 1);
        const colon = lastSegment.lastIndexOf(':');
        const tag = colon < 0 ? undefined : lastSegment.slice(colon + 1);
        if (tag === undefined) {
          ctx.report(
            image.node,
            DiagnosticCode.imageTag,
            `image \`${image.value}\` has no tag, so Kubernetes runs whatever \`latest\` is at pull time; pin a version (e.g. \`${image.value}:1.2.3\`)`,
            'warning',
          );
        } else if (tag === 'latest') {
          ctx.report(
            image.node,
            DiagnosticCode.imageTag,
            `image \`${image.value}\` uses the \`latest\` tag, which changes under you; pin a version`,
            'warning',
          );
        }
      }
    }
  },
};
