/**
 * Whether a write is a dry run, as Kubernetes reads it: `dryRun=All` in the query, or for a delete
 * `dryRun: ["All"]` in its DeleteOptions body (where kubectl puts it for `delete --dry-run=server`).
 * Any other value is refused (422) before anything is written, so that a misspelt dry run never
 * writes: a dry run of any verb changes nothing.
 */
import { StatusError } from '../store/errors';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** The options type Kubernetes decodes a request's parameters into, by method. */
export function optionsKindOf(method: string | undefined): OptionsKind {
  if (method === 'POST') return 'CreateOptions';
  if (method === 'PUT') return 'UpdateOptions';
  if (method === 'PATCH') return 'PatchOptions';
  return 'DeleteOptions';
}

function unsupported(kind: OptionsKind, values: unknown): StatusError {
  const message = `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`;
  return new StatusError('Invalid', `${kind}.meta.k8s.io "" is invalid: dryRun: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueNotSupported', message, field: 'dryRun' }],
  });
}

/** `fromBody`: the `dryRun` field of a DeleteOptions body, when there is one. */
export function dryRunOf(query: URLSearchParams, kind: OptionsKind, fromBody?: unknown): boolean {
  const values: unknown[] = query.getAll('dryRun');
  if (fromBody !== undefined && fromBody !== null) {
    if (!Array.isArray(fromBody)) throw unsupported(kind, fromBody);
    values.push(...(fromBody as unknown[]));
  }
  if (values.some((v) => v !== 'All')) throw unsupported(kind, values);
  return values.length > 0;
}
