/** Table columns of jobs and cronjobs, as kubectl 1.32 prints them. */
import type { Stored } from '../../store/object-store';
import { age, humanDuration } from './age';
import { ageColumn, at, column, list, nameColumn, num, str, type Column } from './columns';
import { podTemplateColumns } from './template-columns';

function conditionTrue(obj: Stored, type: string): boolean {
  return list(at(obj, 'status', 'conditions')).some((c) => at(c, 'type') === type && at(c, 'status') === 'True');
}

/** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in that order of precedence. */
export function jobStatusText(job: Stored): string {
  if (conditionTrue(job, 'Complete')) return 'Complete';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(job, 'Suspended')) return 'Suspended';
  if (conditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `2/3`; without completions `1/1`, or `0/1 of 4` when several pods run in parallel. */
export function jobCompletionsText(job: Stored): string {
  const succeeded = num(at(job, 'status', 'succeeded'));
  const completions = at(job, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(at(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From the start to completion, or to now while it runs; empty before it starts. */
export function jobDurationText(job: Stored, now: number): string {
  const start = Date.parse(str(at(job, 'status', 'startTime'), ''));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(at(job, 'status', 'completionTime'), ''));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobColumns: Column[] = [
  nameColumn(),
  column('Status', jobStatusText, { description: 'Status of the job.' }),
  column('Completions', jobCompletionsText, { description: 'The number of pods which reached phase Succeeded.' }),
  column('Duration', jobDurationText, { description: 'Time required to complete the job.' }),
  ageColumn(),
  ...podTemplateColumns((o) => at(o, 'spec')),
];

export const cronJobColumns: Column[] = [
  nameColumn(),
  column('Schedule', (o) => str(at(o, 'spec', 'schedule'), '')),
  column('Timezone', (o) => str(at(o, 'spec', 'timeZone'))),
  column(
    'Suspend',
    (o) => {
      const suspend = at(o, 'spec', 'suspend');
      return typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>';
    },
    { type: 'boolean' },
  ),
  column('Active', (o) => list(at(o, 'status', 'active')).length, { type: 'integer' }),
  column('Last Schedule', (o, now) => {
    const last = at(o, 'status', 'lastScheduleTime');
    return typeof last === 'string' ? age(last, now) : '<none>';
  }),
  ageColumn(),
  ...podTemplateColumns((o) => at(o, 'spec', 'jobTemplate', 'spec')),
];
