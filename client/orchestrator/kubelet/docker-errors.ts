/**
 * Reading the errors of Docker engine calls: the HTTP status of an answer,
 * the engine's own message, and whether the engine could not be reached at
 * all (which the kubelet treats as "runtime down", not as a pod's fault).
 */
import { RuntimeUnavailableError } from './runtime';

/** The HTTP status of an engine error, if it has one. */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * `call`'s result, or `fallback` when the engine answers with `status` (a 404 for something
 * already gone, a 304 for a container already stopped, a 409 for one already paused): any
 * other failure, an engine that does not answer included, is thrown.
 */
export async function unlessStatus<T, F>(status: number, fallback: F, call: () => Promise<T>): Promise<T | F> {
  try {
    return await call();
  } catch (error) {
    if (statusCode(error) === status) return fallback;
    throw error;
  }
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EACCES']);

/**
 * Whether an error means the engine could not be reached at all (socket
 * missing, refused, reset, or no answer), rather than an answer saying no.
 */
export function isEngineUnreachable(error: unknown): boolean {
  if (statusCode(error) !== undefined) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && UNREACHABLE.has(e.code)) return true;
  return e?.name === 'AbortError' || (typeof e?.message === 'string' && e.message.includes('socket hang up'));
}

/** Rethrows an error that means the engine is not there as RuntimeUnavailableError; returns otherwise. */
export function throwIfUnreachable(error: unknown): void {
  if (isEngineUnreachable(error))
    throw new RuntimeUnavailableError(`the Docker engine is unreachable (${errorText(error)})`);
}

/** For `.catch`: a 404 (already gone) is fine, anything else is rethrown. */
export function ignoreMissing(error: unknown): void {
  if (statusCode(error) !== 404) throw error;
}

/** The engine's own message in an error (`No such image: ...`). */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | undefined)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return errorText(error);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
