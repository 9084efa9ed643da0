/**
 * Field checks Kubernetes makes on the kinds we serve. Each returns causes
 * with the field path and a message worded like Kubernetes' own.
 */
import { labelSelectorMatcher } from '../../../../server/kube-model/label-selector';
import {
  DNS1035_LABEL_MAX_LENGTH,
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  isQualifiedNamePart,
} from '../../../../server/kube-model/name-formats';
import type { StatusCause } from '../../store/errors';
import { isObject, jsonEqual, type JsonObject, type KubeObject } from '../../store/object';
import type { Admission, AdmissionContext } from './admission';
import { inServiceRange, usedClusterIPs } from './allocators';
import { checkCronJob, checkJob, cronJobPodSpecOf, jobPodSpec } from './batch-validation';
import { checkReplicationController } from './replication-controller-admission';
import { checkConfigData } from './config-data-validation';

const quote = (v: unknown) => JSON.stringify(v);

export const required = (field: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: 'Required value',
  field,
});
export const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${quote(value)}: ${detail}`,
  field,
});
const unsupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${quote(value)}: supported values: ${supported.map(quote).join(', ')}`,
  field,
});
const duplicate = (field: string, value: unknown): StatusCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${quote(value)}`,
  field,
});

function checkName(name: unknown, field: string, rule: 'subdomain' | 'label' | 'dns1035', out: StatusCause[]): void {
  if (typeof name !== 'string' || name === '') {
    out.push(required(field));
    return;
  }
  const [valid, max, text] =
    rule === 'subdomain'
      ? [
          isDns1123Subdomain,
          DNS1123_SUBDOMAIN_MAX_LENGTH,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        ]
      : rule === 'label'
        ? [
            isDns1123Label,
            DNS1123_LABEL_MAX_LENGTH,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          ]
        : [
            isDns1035Label,
            DNS1035_LABEL_MAX_LENGTH,
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
          ];
  if (name.length > max) out.push(invalidValue(field, name, `must be no more than ${max} characters`));
  else if (!valid(name)) out.push(invalidValue(field, name, text));
}

function checkLabelKey(key: string, field: string, out: StatusCause[]): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? '' : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== '' && !isDns1123Subdomain(prefix)) {
    out.push(invalidValue(field, key, 'prefix part must be a lowercase RFC 1123 subdomain'));
  } else if (!isQualifiedNamePart(name)) {
    out.push(
      invalidValue(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      ),
    );
  }
}

function checkMetadata(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const meta = object.metadata;
  const rule = ['Namespace', 'Service'].includes(context.def.kind)
    ? context.def.kind === 'Service'
      ? 'dns1035'
      : 'label'
    : 'subdomain';
  checkName(meta.name, 'metadata.name', rule, out);
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    checkLabelKey(k, 'metadata.labels', out);
    if (typeof v !== 'string' || !isLabelValue(v)) {
      out.push(
        invalidValue(
          'metadata.labels',
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  for (const k of Object.keys(meta.annotations ?? {})) checkLabelKey(k, 'metadata.annotations', out);
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function checkPodSpec(spec: unknown, path: string, out: StatusCause[]): void {
  if (!isObject(spec)) {
    out.push(required(path));
    return;
  }
  const containers = list(spec.containers);
  if (containers.length === 0) out.push(required(`${path}.containers`));
  const names = new Set<string>();
  for (const [kind, items] of [
    ['initContainers', list(spec.initContainers)],
    ['containers', containers],
  ] as const) {
    items.forEach((c, i) => {
      const at = `${path}.${kind}[${i}]`;
      checkName(c.name, `${at}.name`, 'label', out);
      if (typeof c.name === 'string') {
        if (names.has(c.name)) out.push(duplicate(`${at}.name`, c.name));
        names.add(c.name);
      }
      if (typeof c.image !== 'string' || c.image.trim() === '') out.push(required(`${at}.image`));
      list(c.ports).forEach((p, j) => {
        const port = p.containerPort;
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          out.push(invalidValue(`${at}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
        }
      });
      if (
        c.imagePullPolicy !== undefined &&
        !['Always', 'IfNotPresent', 'Never'].includes(JSON.stringify(c.imagePullPolicy).replace(/^"|"$/g, ''))
      ) {
        out.push(unsupported(`${at}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
      }
    });
  }
  if (
    spec.restartPolicy !== undefined &&
    !['Always', 'OnFailure', 'Never'].includes(JSON.stringify(spec.restartPolicy).replace(/^"|"$/g, ''))
  ) {
    out.push(unsupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
}

function checkWorkload(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const spec = isObject(object.spec) ? object.spec : {};
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    out.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const selector = spec.selector;
  const template = isObject(spec.template) ? spec.template : {};
  const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  if (
    !isObject(selector) ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && list(selector.matchExpressions).length === 0)
  ) {
    out.push(required('spec.selector'));
  } else if (!labelSelectorMatcher(selector)(labels as Record<string, string>)) {
    out.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  const oldSelector = isObject(context.old?.spec) ? context.old.spec.selector : undefined;
  if (context.operation === 'UPDATE' && oldSelector !== undefined && !jsonEqual(oldSelector, selector)) {
    out.push(invalidValue('spec.selector', selector, 'field is immutable'));
  }
  checkPodSpec(template.spec, 'spec.template.spec', out);
}

const STATEFUL_SET_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** A StatefulSet's spec may change only in the fields above (claim templates, service name... are fixed). */
function checkStatefulSetUpdate(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  if (context.operation !== 'UPDATE' || !isObject(context.old?.spec)) return;
  const spec = isObject(object.spec) ? object.spec : {};
  const old = context.old.spec;
  const keys = new Set([...Object.keys(spec), ...Object.keys(old)]);
  const changed = [...keys].some((k) => !STATEFUL_SET_MUTABLE.includes(k) && !jsonEqual(spec[k], old[k]));
  if (!changed) return;
  const names = STATEFUL_SET_MUTABLE.map((k) => `'${k}'`);
  out.push({
    reason: 'FieldValueForbidden',
    message: `Forbidden: updates to statefulset spec for fields other than ${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''} are forbidden`,
    field: 'spec',
  });
}

function checkService(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const spec = isObject(object.spec) ? object.spec : {};
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(String(spec.type))) out.push(unsupported('spec.type', spec.type, types));
  const ports = list(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) out.push(required('spec.ports'));
  ports.forEach((p, i) => {
    if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
      out.push(invalidValue(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    }
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) out.push(required(`spec.ports[${i}].name`));
  });
  const oldIP = isObject(context.old?.spec) ? context.old.spec.clusterIP : undefined;
  if (
    context.operation === 'UPDATE' &&
    typeof oldIP === 'string' &&
    oldIP !== '' &&
    spec.clusterIP !== oldIP &&
    spec.type !== 'ExternalName'
  ) {
    out.push(invalidValue('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set'));
  } else if (
    context.operation === 'CREATE' &&
    typeof spec.clusterIP === 'string' &&
    !headless &&
    spec.type !== 'ExternalName'
  ) {
    if (!inServiceRange(spec.clusterIP)) {
      out.push(
        invalidValue(
          'spec.clusterIPs',
          [spec.clusterIP],
          'failed to allocate IP: the provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
        ),
      );
    } else if (usedClusterIPs(context.store).has(spec.clusterIP)) {
      out.push(
        invalidValue(
          'spec.clusterIPs',
          [spec.clusterIP],
          `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
        ),
      );
    }
  }
}

function checkIngress(object: KubeObject, out: StatusCause[]): void {
  const spec = isObject(object.spec) ? object.spec : {};
  list(spec.rules).forEach((rule, i) => {
    const paths = isObject(rule.http) ? list(rule.http.paths) : [];
    paths.forEach((p, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const types = ['Exact', 'Prefix', 'ImplementationSpecific'];
      if (p.pathType === undefined) out.push(required(`${at}.pathType`));
      else if (!types.includes(JSON.stringify(p.pathType).replace(/^"|"$/g, '')))
        out.push(unsupported(`${at}.pathType`, p.pathType, types));
      if (!isObject(p.backend)) out.push(required(`${at}.backend`));
    });
  });
}

export const validationAdmission: Admission = {
  default() {},
  validate(object, context) {
    const out: StatusCause[] = [];
    checkMetadata(object, context, out);
    switch (`${context.def.group}/${context.def.kind}`) {
      case '/Pod':
        checkPodSpec(object.spec, 'spec', out);
        break;
      case 'apps/Deployment':
      case 'apps/ReplicaSet':
      case 'apps/DaemonSet':
        checkWorkload(object, context, out);
        break;
      case '/ReplicationController':
        checkReplicationController(object, out);
        if (isObject(object.spec) && isObject(object.spec.template))
          checkPodSpec(object.spec.template.spec, 'spec.template.spec', out);
        break;
      case '/PodTemplate':
        checkPodSpec(isObject(object.template) ? object.template.spec : undefined, 'template.spec', out);
        break;
      case 'apps/StatefulSet':
        checkWorkload(object, context, out);
        checkStatefulSetUpdate(object, context, out);
        break;
      case '/Service':
        checkService(object, context, out);
        break;
      case '/ConfigMap':
      case '/Secret':
        checkConfigData(context.def, object, out);
        break;
      case 'networking.k8s.io/Ingress':
        checkIngress(object, out);
        break;
      case 'batch/Job':
        checkJob(object, context, out);
        checkPodSpec(jobPodSpec(object), 'spec.template.spec', out);
        break;
      case 'batch/CronJob':
        checkCronJob(object, context, out);
        checkPodSpec(cronJobPodSpecOf(object), 'spec.jobTemplate.spec.template.spec', out);
        break;
    }
    return out;
  },
};
