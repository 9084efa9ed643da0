import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { listLength, stringAt } from './helpers.js';
import { CONTAINER_LISTS, podSpecPath } from './pod-specs.js';
import type { Rule } from './rule.js';

/** An image with no tag, or `:latest`, changes under you: warn and suggest pinning a version. */
export const imageTagRule: Rule = {
  id: 'image-tag',
  check(ctx) {
    const spec = podSpecPath(ctx.kind);
    if (!spec) return;
    for (const list of CONTAINER_LISTS) {
      for (let i = 0, n = listLength(ctx, [...spec, list]); i < n; i++) {
        const image = stringAt(ctx, [...spec, list, i, 'image']);
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
