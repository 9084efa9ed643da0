import { DiagnosticCode } from '../../protocol/diagnostic-codes.js';
import type { WorkspaceCheck } from './workspace-check.js';

/**
 * ConfigMaps, Secrets, PVCs and ServiceAccounts a pod spec names must exist in the pod's
 * namespace, and the keys it reads must exist in them; otherwise the pod does
 * not start. They may be created in the cluster instead, so these are
 * warnings, and `optional: true` references are skipped.
 */
export const missingReferencesCheck: WorkspaceCheck = {
  id: 'missing-references',
  check(resource, ctx) {
    const namespace = resource.namespace ?? 'default';
    for (const ref of resource.references) {
      if (!ref.checked || ref.optional) continue;
      // A kustomize generator makes it (under a hashed name the render rewrites the reference to).
      if (ctx.generated?.(ref.targetKind, ref.name) === true) continue;
      const targets = ctx.index.named(ref.targetKind, resource.namespace, ref.name);
      if (targets.length === 0) {
        const elsewhere = ctx.index.namedElsewhere(ref.targetKind, resource.namespace, ref.name);
        const hint =
          elsewhere.length > 0
            ? ` (there is one in namespace \`${elsewhere.at(0)?.namespace ?? ''}\`; a pod reads only its own namespace)`
            : '';
        ctx.report(
          ref.nameRange,
          DiagnosticCode.missingReference,
          `${ref.targetKind} \`${ref.name}\` is not defined in namespace \`${namespace}\` in the workspace${hint}; the pod will not start unless it exists in the cluster${ref.targetKind === 'PersistentVolumeClaim' || ref.targetKind === 'ServiceAccount' ? '' : ' (or mark the reference `optional: true`)'}`,
          'warning',
        );
        continue;
      }
      if (ref.keys.length === 0) continue;
      const keys = new Set<string>();
      for (const t of targets) for (const key of t.dataKeys?.keys() ?? []) keys.add(key);
      for (const { key, range } of ref.keys) {
        if (keys.has(key)) continue;
        const known = keys.size > 0 ? `its keys: ${[...keys].sort().join(', ')}` : 'it has no keys';
        ctx.report(
          range,
          DiagnosticCode.missingKey,
          `${ref.targetKind} \`${ref.name}\` (${ctx.where(targets.at(0) ?? resource)}) has no key \`${key}\`; ${known}`,
          'warning',
        );
      }
    }
  },
};
