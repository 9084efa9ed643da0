import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { keyNodeOf, stringAt } from './helpers.js';
import type { Check } from '../../kube-model/name-formats.js';
import { dns1035Label, dns1123Label, dns1123Subdomain } from '../../kube-model/name-formats.js';
import type { Rule, RuleContext } from './rule.js';

/** How the API server validates `metadata.name`, per kind (kinds not listed are left alone). */
const NAME_CHECKS: Record<string, Check> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
};
const SUBDOMAIN_NAMED = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ConfigMap',
  'Secret',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'StorageClass',
  'Endpoints',
  'LimitRange',
  'ResourceQuota',
  'Node',
  'PriorityClass',
  'PodTemplate',
];
for (const kind of SUBDOMAIN_NAMED) NAME_CHECKS[kind] = dns1123Subdomain;

/** Kinds whose objects need a name (or generateName) in a manifest. */
function check(ctx: RuleContext, path: readonly (string | number)[], what: string, validate: Check): void {
  const name = stringAt(ctx, path);
  if (!name) return;
  const reason = validate(name.value);
  if (reason) ctx.report(name.node, DiagnosticCode.invalidName, `${what} \`${name.value}\` ${reason}`);
}

/**
 * Object names follow the DNS rules the API server enforces (RFC 1123 labels and
 * subdomains, RFC 1035 for Services); container and volume names, and a CronJob's
 * name length, are checked by the shared rules (api-validation.ts).
 */
export const namesRule: Rule = {
  id: 'names',
  check(ctx) {
    const nameCheck = NAME_CHECKS[ctx.kind];
    if (nameCheck) {
      check(ctx, ['metadata', 'name'], `${ctx.kind} name`, nameCheck);
      const hasName = stringAt(ctx, ['metadata', 'name']) ?? stringAt(ctx, ['metadata', 'generateName']);
      if (
        !hasName &&
        ctx.value(['metadata', 'name']) === undefined &&
        ctx.value(['metadata', 'generateName']) === undefined
      ) {
        ctx.report(
          keyNodeOf(ctx, ['metadata']) ?? stringAt(ctx, ['kind'])?.node,
          DiagnosticCode.missingRequired,
          `missing required field \`name\` in ${ctx.kind}.metadata (or \`generateName\`)`,
        );
      }
    }
  },
};
