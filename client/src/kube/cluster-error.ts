/** A failed request to a cluster, with a message a person can act on. */
export class ClusterError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the cluster was not reached. */
    readonly status: number,
    /** The Status `reason` (NotFound, AlreadyExists, Invalid, Conflict, ...). */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

/** Builds the error for a non-2xx reply from its body (a Status, usually). */
export function errorFromReply(status: number, body: string, what: string): ClusterError {
  let parsed: StatusBody | undefined;
  try {
    parsed = JSON.parse(body) as StatusBody;
  } catch {
    parsed = undefined;
  }
  const reason = parsed?.reason ?? '';
  let message = parsed?.message ?? (body.trim() || `HTTP ${status}`);
  const causes = parsed?.details?.causes ?? [];
  if (causes.length > 0 && !causes.every((c) => c.message && message.includes(c.message))) {
    message += `: ${causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''))).join('; ')}`;
  }
  if (status === 401) message = `the cluster refused the credentials (${message})`;
  if (status === 403) message = `not allowed: ${message}`;
  return new ClusterError(`${what}: ${message}`, status, reason);
}

/** Builds the error for a request that never got an answer. */
export function errorFromNetwork(error: unknown, server: string): ClusterError {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  const why =
    code === 'ECONNREFUSED'
      ? 'nothing listens there (is the cluster running?)'
      : code === 'ENOTFOUND'
        ? 'the host name does not resolve'
        : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
            code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
            code === 'SELF_SIGNED_CERT_IN_CHAIN'
          ? `its certificate is not trusted by the kubeconfig (${text})`
          : text;
  return new ClusterError(`cannot reach the cluster at ${server}: ${why}`, 0, code ?? 'NetworkError');
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
