/**
 * The defaults Kubernetes gives Jobs and CronJobs (batch/v1), and a Job's
 * generated selector: unless `manualSelector` is set, the pod template is
 * labelled with the Job's uid and name and the selector picks the uid, so a
 * Job only ever counts its own pods. The uid is assigned before admission
 * (see admitAndWrite), as Kubernetes' BeforeCreate does. The pod templates
 * get the pod defaults in defaults.ts.
 */
import { isObject, type JsonObject, type KubeObject } from '../../store/object';
import { child, setDefault } from './default-fields';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

/** The labels a Job's pods carry when its selector is generated. */
export function generatedJobLabels(name: string, uid: string): Record<string, string> {
  return {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
}

/** Labels the template and sets the selector; labels the user set are kept (validation rejects a conflict). */
function generateSelector(job: KubeObject, spec: JsonObject): void {
  const uid = job.metadata.uid ?? '';
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  for (const [key, value] of Object.entries(generatedJobLabels(job.metadata.name ?? '', uid)))
    setDefault(labels, key, value);
  const matchLabels = child(child(spec, 'selector'), 'matchLabels');
  setDefault(matchLabels, CONTROLLER_UID_LABEL, uid);
}

/** The defaults of a JobSpec (its pod template's are defaults.ts's). */
function defaultJobSpec(spec: JsonObject): void {
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex == null ? 6 : 2147483647);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy == null ? 'TerminatingOrFailed' : 'Failed');
  const policy = isObject(spec.podFailurePolicy) ? spec.podFailurePolicy : {};
  for (const rule of Array.isArray(policy.rules) ? policy.rules : []) {
    if (!isObject(rule) || !Array.isArray(rule.onPodConditions)) continue;
    for (const pattern of rule.onPodConditions) if (isObject(pattern)) setDefault(pattern, 'status', 'True');
  }
}

export function defaultJob(job: KubeObject, create: boolean): void {
  const spec = child(job, 'spec');
  defaultJobSpec(spec);
  if (create) {
    if (spec.manualSelector !== true) {
      setDefault(spec, 'manualSelector', false);
      generateSelector(job, spec);
    }
    delete job.status;
  }
  const templateMeta = child(child(spec, 'template'), 'metadata');
  const templateLabels = isObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : undefined;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0 && Object.keys(templateLabels).length > 0)
    job.metadata.labels = { ...templateLabels };
}

/** The template's pod spec is defaulted by the caller (`cronJobPodSpec`). */
export function defaultCronJob(cronJob: KubeObject, create: boolean): void {
  const spec = child(cronJob, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  if (create) delete cronJob.status;
}

/** Where a CronJob's pod template spec is (created when missing), for the pod defaults. */
export function cronJobPodSpec(cronJob: KubeObject): JsonObject {
  return child(child(child(child(child(cronJob, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec');
}
