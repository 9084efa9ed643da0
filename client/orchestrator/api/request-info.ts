/**
 * Reads a request path into what it addresses, the way the Kubernetes API lays paths out.
 * The path is routed on its raw `/`-separated segments, each percent-decoded exactly once, so an
 * encoded `%2e%2e` or `%2f` stays inside its segment (no dot-segment resolution, no new separators);
 * the names and namespaces it yields are checked before anything looks them up.
 */
import { pathSegmentName } from '../../../server/kube-model/name-formats';
import { badRequest, StatusError } from '../store/errors';

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

/** A request target split into its raw path (undecoded, trailing `/` dropped) and its query. */
export function splitRequestTarget(target: string | undefined): { path: string; query: URLSearchParams } {
  const raw = target ?? '/';
  const mark = raw.search(/[?#]/);
  const pathPart = mark === -1 ? raw : raw.slice(0, mark);
  const queryPart = mark !== -1 && raw[mark] === '?' ? raw.slice(mark + 1).split('#')[0]! : '';
  const path = pathPart.replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(queryPart) };
}

/** One raw path segment, percent-decoded once; a malformed escape is a 400. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in path segment ${JSON.stringify(segment)}`);
  }
}

/** A name from a path: Kubernetes' 400 when it could not be one segment of a key. */
export function checkPathName(name: string): string {
  const problem = pathSegmentName(name);
  if (problem) throw badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${problem}`);
  return name;
}

/** A namespace from a path: one that could not be a segment names no namespace that can exist. */
export function checkPathNamespace(namespace: string): string {
  if (pathSegmentName(namespace))
    throw new StatusError('NotFound', `namespaces ${JSON.stringify(namespace)} not found`, {
      name: namespace,
      kind: 'namespaces',
    });
  return namespace;
}

/** `path`: the raw (still percent-encoded) path of the request, without its query. */
export function parseRequestPath(path: string): RequestInfo {
  const raw = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = raw === '' ? [] : raw.split('/').map(decodeSegment);
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
    // `namespaces//pods` (an empty namespace) is the list across all namespaces, as in Kubernetes.
    namespace = rest[1] === '' ? undefined : checkPathNamespace(rest[1]!);
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (resource === undefined || extra.length > 0 || rest.includes('')) return { type: 'other', path };
  return {
    type: 'resource',
    group,
    version,
    resource,
    watchPrefix,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name: checkPathName(name) } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

/** The pod a `pods/NAME/exec` or `pods/NAME/portforward` upgrade names. */
export interface PodTarget {
  namespace: string;
  name: string;
}

/**
 * The pod of an upgrade request's raw path when it matches `pattern` (two groups: namespace and name
 * segments, still encoded), each decoded once and checked; undefined when the path does not match.
 */
export function podTarget(pattern: RegExp, path: string): PodTarget | undefined {
  const match = pattern.exec(path);
  if (!match) return undefined;
  return { namespace: checkPathNamespace(decodeSegment(match[1]!)), name: checkPathName(decodeSegment(match[2]!)) };
}
