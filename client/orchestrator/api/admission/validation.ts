/**
 * The API server's validation of every write: the shared rules of
 * `server/kube-model/validation/` (the same the editor reports), turned into
 * Status causes (`reason`, `field`, `message`, as Kubernetes sends them), and
 * the checks only a cluster can make: cluster IP allocation and a Job's
 * generated selector (batch-validation.ts).
 */
import { fieldString, validateObject, type FieldError } from '../../../../server/kube-model/validation';
import type { StatusCause } from '../../store/errors';
import { clone, isObject, jsonEqual, type KubeObject } from '../../store/object';
import type { Admission, AdmissionContext } from './admission';
import { inServiceRange, usedClusterIPs } from './allocators';
import { checkJobCluster } from './batch-validation';
import { defaultPodObjectSpec } from './defaults';

/** A shared rule's error as a Status cause. */
export const toCause = (e: FieldError): StatusCause => ({ reason: e.type, message: e.message, field: e.field });

export const required = (field: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: 'Required value',
  field,
});

/** A cluster IP asked for on create must be in the Service range and free. */
function checkClusterIP(object: KubeObject, context: AdmissionContext, out: StatusCause[]): void {
  const spec = isObject(object.spec) ? object.spec : {};
  const ip = spec.clusterIP;
  if (context.operation !== 'CREATE' || typeof ip !== 'string' || ip === 'None' || ip === '') return;
  if (spec.type === 'ExternalName') return;
  const field = fieldString(['spec', 'clusterIPs']);
  const problem = !inServiceRange(ip)
    ? 'failed to allocate IP: the provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12'
    : usedClusterIPs(context.store).has(ip)
      ? `failed to allocate IP ${ip}: provided IP is already allocated`
      : undefined;
  if (problem)
    out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify([ip])}: ${problem}`, field });
}

const isPod = (context: AdmissionContext): boolean => context.def.group === '' && context.def.kind === 'Pod';

/**
 * The stored pod as Kubernetes reads it back: with today's defaults filled in (a pod stored before a default
 * existed, or written straight to the store, must not make every later update look like a spec change).
 */
function withDefaultedSpec(old: KubeObject, object: KubeObject): KubeObject {
  // An unchanged spec needs no second look (metadata-only updates: adoption, labels).
  if (!isObject(old.spec) || jsonEqual(old.spec, object.spec)) return old;
  const spec = clone(old.spec);
  defaultPodObjectSpec(spec);
  return { ...old, spec };
}

export const validationAdmission: Admission = {
  default() {},
  validate(object, context) {
    const out = validateObject(object, {
      operation: context.operation,
      old: context.old && isPod(context) ? withDefaultedSpec(context.old, object) : context.old,
      subresource: context.subresource,
    }).map(toCause);
    switch (`${context.def.group}/${context.def.kind}`) {
      case '/Service':
        checkClusterIP(object, context, out);
        break;
      case 'batch/Job':
      case 'batch/CronJob':
        checkJobCluster(object, context, out);
        break;
    }
    return out;
  },
};
