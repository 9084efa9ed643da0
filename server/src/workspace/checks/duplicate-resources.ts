import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { IndexedResource } from '../indexed-resource.js';
import type { WorkspaceCheck } from './workspace-check.js';

/**
 * Two resources of the same kind, namespace and name: the second one applied
 * overwrites the first. Reported on every one after the first (in file order,
 * then document order), saying where the first is. Untitled documents are not
 * files of the workspace and take no part.
 */
export const duplicateResourcesCheck: WorkspaceCheck = {
  id: 'duplicate-resources',
  check(resource, ctx) {
    // Only files of the workspace count: an untitled scratch document is not part of it.
    if (resource.name === undefined || !resource.uri.startsWith('file:')) return;
    // The first of the same name among files, and whether there are two (a loop, not a filtered copy: every
    // resource of a workspace asks this).
    let first: IndexedResource | undefined;
    let two = false;
    for (const r of ctx.index.named(resource.kind, resource.namespace, resource.name)) {
      if (!r.uri.startsWith('file:')) continue;
      if (first !== undefined) {
        two = true;
        break;
      }
      first = r;
    }
    if (!two || first === undefined || ctx.index.same(first, resource)) return;
    const scope = resource.namespace === undefined ? '' : ` in namespace \`${resource.namespace}\``;
    ctx.report(
      resource.nameRange,
      DiagnosticCode.duplicateResource,
      `duplicate ${resource.kind} \`${resource.name}\`${scope}: already defined ${ctx.where(first)}; applying both keeps only the last`,
      'error',
    );
  },
};
