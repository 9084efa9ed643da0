import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { closestMatch } from '../validation/suggest.js';
import { stringAt } from './helpers.js';
import type { Rule } from './rule.js';

/** API versions that Kubernetes stopped serving, with the release and the replacement. */
const REMOVED: Record<string, { removedIn: string; replacement: string | undefined }> = {};
function removed(apiVersion: string, kinds: string[], removedIn: string, replacement: string | undefined): void {
  for (const kind of kinds) REMOVED[`${apiVersion}/${kind}`] = { removedIn, replacement };
}
removed('extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.16', 'apps/v1');
removed('extensions/v1beta1', ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1');
removed('extensions/v1beta1', ['PodSecurityPolicy'], '1.16', undefined);
removed('extensions/v1beta1', ['Ingress'], '1.22', 'networking.k8s.io/v1');
removed('admissionregistration.k8s.io/v1alpha1', ['InitializerConfiguration'], '1.14', undefined);
removed(
  'apps/v1beta1',
  ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'ControllerRevision'],
  '1.16',
  'apps/v1',
);
removed(
  'apps/v1beta2',
  ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'ControllerRevision'],
  '1.16',
  'apps/v1',
);
removed('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.22', 'networking.k8s.io/v1');
removed('batch/v1beta1', ['CronJob'], '1.25', 'batch/v1');
removed('batch/v2alpha1', ['CronJob'], '1.21', 'batch/v1');
removed('policy/v1beta1', ['PodDisruptionBudget'], '1.25', 'policy/v1');
removed('policy/v1beta1', ['PodSecurityPolicy'], '1.25', undefined);
removed('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.25', 'autoscaling/v2');
removed('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.26', 'autoscaling/v2');
for (const v of ['v1alpha1', 'v1beta1']) {
  removed(
    `rbac.authorization.k8s.io/${v}`,
    ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    '1.22',
    'rbac.authorization.k8s.io/v1',
  );
  removed(`scheduling.k8s.io/${v}`, ['PriorityClass'], '1.22', 'scheduling.k8s.io/v1');
}
removed('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.22', 'apiextensions.k8s.io/v1');
removed(
  'admissionregistration.k8s.io/v1beta1',
  ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  '1.22',
  'admissionregistration.k8s.io/v1',
);
removed(
  'storage.k8s.io/v1beta1',
  ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  '1.22',
  'storage.k8s.io/v1',
);
removed('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.27', 'storage.k8s.io/v1');
removed('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.22', 'certificates.k8s.io/v1');
removed('coordination.k8s.io/v1beta1', ['Lease'], '1.22', 'coordination.k8s.io/v1');
removed('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.25', 'discovery.k8s.io/v1');
removed('events.k8s.io/v1beta1', ['Event'], '1.25', 'events.k8s.io/v1');
removed('node.k8s.io/v1beta1', ['RuntimeClass'], '1.25', 'node.k8s.io/v1');
removed(
  'flowcontrol.apiserver.k8s.io/v1beta1',
  ['FlowSchema', 'PriorityLevelConfiguration'],
  '1.26',
  'flowcontrol.apiserver.k8s.io/v1',
);
removed(
  'flowcontrol.apiserver.k8s.io/v1beta2',
  ['FlowSchema', 'PriorityLevelConfiguration'],
  '1.29',
  'flowcontrol.apiserver.k8s.io/v1',
);
removed(
  'flowcontrol.apiserver.k8s.io/v1beta3',
  ['FlowSchema', 'PriorityLevelConfiguration'],
  '1.32',
  'flowcontrol.apiserver.k8s.io/v1',
);

/** Still served, but deprecated: the API server answers with a warning. */
const DEPRECATED: Record<string, { since: string; replacement: string }> = {
  'v1/Endpoints': { since: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' },
};

/**
 * Removed API versions are errors naming the replacement; deprecated ones are
 * warnings; an apiVersion that does not serve a known kind is an error naming
 * the versions that do. Unknown kinds (custom resources) are left alone.
 */
export const apiVersionsRule: Rule = {
  id: 'api-versions',
  check(ctx) {
    const node = stringAt(ctx, ['apiVersion'])?.node;
    const key = `${ctx.apiVersion}/${ctx.kind}`;
    const gone = REMOVED[key];
    const served = ctx.schemas.schemaFor(ctx.apiVersion, ctx.kind) !== undefined;
    if (gone && !served) {
      const instead = gone.replacement ? `; use \`apiVersion: ${gone.replacement}\`` : ' and has no replacement';
      ctx.report(
        node,
        DiagnosticCode.removedApi,
        `${ctx.kind} ${ctx.apiVersion} was removed in Kubernetes ${gone.removedIn}${instead}`,
      );
      return;
    }
    const deprecated = DEPRECATED[key];
    if (deprecated && served) {
      ctx.report(
        node,
        DiagnosticCode.deprecatedApi,
        `${ctx.apiVersion} ${ctx.kind} is deprecated since Kubernetes ${deprecated.since}; use ${deprecated.replacement}`,
        'warning',
      );
      return;
    }
    if (!served) {
      const versions = ctx.schemas.apiVersionsOf(ctx.kind);
      if (versions.length === 0 && ctx.schemas.hasApiVersion(ctx.apiVersion)) {
        // A built-in group has a closed set of kinds: this one is a typo, not a custom resource.
        const guess = closestMatch(
          ctx.kind,
          ctx.schemas.kinds().filter((k) => !k.endsWith('List')),
        );
        const hint = guess ? `; did you mean \`${guess}\` (${ctx.schemas.apiVersionsOf(guess).join(', ')})?` : '';
        ctx.report(
          stringAt(ctx, ['kind'])?.node,
          DiagnosticCode.unknownKind,
          `${ctx.apiVersion} has no kind \`${ctx.kind}\`${hint}`,
        );
      } else if (versions.length > 0 && ctx.schemas.hasApiVersion(ctx.apiVersion)) {
        ctx.report(
          node,
          DiagnosticCode.unknownApiVersion,
          `${ctx.apiVersion} has no kind ${ctx.kind} in Kubernetes ${ctx.schemas.kubernetesVersion}; use \`apiVersion: ${versions.join('` or `')}\``,
        );
      } else if (versions.length > 0 && !ctx.apiVersion.includes('.')) {
        // A built-in kind under a misspelled built-in group (`app/v1`); dotted groups may be custom resources.
        ctx.report(
          node,
          DiagnosticCode.unknownApiVersion,
          `unknown apiVersion \`${ctx.apiVersion}\` for ${ctx.kind}; use \`apiVersion: ${versions.join('` or `')}\``,
        );
      }
    }
  },
};

export function removedApi(
  apiVersion: string,
  kind: string,
): { removedIn: string; replacement: string | undefined } | undefined {
  return REMOVED[`${apiVersion}/${kind}`];
}
