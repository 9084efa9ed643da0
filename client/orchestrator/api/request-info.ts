/** Reads a request path into what it addresses, the way the Kubernetes API lays paths out. */

export interface ResourceRequest {
  type: 'resource';
  group: string;
  version: string;
  /** Undefined for cluster-scoped paths and lists across all namespaces. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Came in under the old `/watch/` prefix. */
  watchPrefix: boolean;
}

export interface OtherRequest {
  type: 'other';
  path: string;
}

export type RequestInfo = ResourceRequest | OtherRequest;

export function parseRequestPath(path: string): RequestInfo {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { type: 'other', path };
  }
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (resource === undefined || extra.length > 0) return { type: 'other', path };
  return {
    type: 'resource',
    group,
    version,
    resource,
    watchPrefix,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
