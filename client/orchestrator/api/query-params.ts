/**
 * The query parameters of a resource request that Kubernetes decodes into
 * typed options (ListOptions, DeleteOptions, ...): checked once, before any
 * handler reads them, so `limit=abc` or `timeoutSeconds=1.5` is a 400 as in
 * Kubernetes instead of a value silently read as NaN or ignored.
 */
import { badRequest } from '../store/errors';

/** Parameters that Kubernetes decodes as int64. */
const INTEGER_PARAMS = ['timeoutSeconds', 'limit', 'gracePeriodSeconds', 'sinceSeconds', 'tailLines', 'limitBytes'];
/** Parameters that Kubernetes decodes as booleans. */
const BOOLEAN_PARAMS = [
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'orphanDependents',
  'force',
  'follow',
  'previous',
  'timestamps',
  'insecureSkipTLSVerifyBackend',
];
const INT64 = /^[+-]?\d{1,19}$/;
/** The spellings Go's strconv.ParseBool accepts. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const BOOLEAN = new Set([...TRUE, '0', 'f', 'F', 'FALSE', 'false', 'False']);

function int64(value: string): boolean {
  if (!INT64.test(value)) return false;
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Throws a 400 Status naming the first parameter that Kubernetes could not decode. */
export function checkQueryParams(query: URLSearchParams): void {
  for (const name of INTEGER_PARAMS) {
    for (const value of query.getAll(name)) {
      // An empty value is as good as none (Kubernetes' query decoding reads it as unset).
      if (value !== '' && !int64(value))
        throw badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    }
  }
  for (const name of BOOLEAN_PARAMS) {
    for (const value of query.getAll(name)) {
      if (value !== '' && !BOOLEAN.has(value))
        throw badRequest(`${name}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    }
  }
  const resourceVersion = query.get('resourceVersion');
  if (resourceVersion !== null && resourceVersion !== '' && !/^\d{1,19}$/.test(resourceVersion)) {
    throw badRequest(`invalid resource version ${JSON.stringify(resourceVersion)}: must be a whole number`);
  }
  const token = query.get('continue');
  // Lists are always answered whole (no `continue` is ever handed out), so no token can be valid.
  if (token !== null && token !== '') {
    throw badRequest(`continue key is not valid: this server answers every list whole and issues no continue tokens`);
  }
}

/** Whether a boolean parameter is set to one of ParseBool's true spellings (`watch=1`, `watch=true`...). */
export function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && TRUE.has(value);
}
