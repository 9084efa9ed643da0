/**
 * Ingress routing as Kubernetes defines it, with no I/O: which backend of
 * which Ingress a request's host and path go to. Paths: `Exact` compares
 * case-sensitively; `Prefix` (and `ImplementationSpecific`) matches whole
 * '/'-separated elements (`/foo` matches `/foo`, `/foo/` and `/foo/bar`, not
 * `/foobar`); the longest matching path wins and `Exact` beats `Prefix` on a
 * tie. Hosts: exact (case-insensitive, as DNS names are) before a wildcard
 * `*.example.com` (exactly one label) before rules with no host (any host).
 * When nothing matches, the oldest Ingress's `spec.defaultBackend`.
 */
import { isObject, type JsonObject } from '../store/object';

export interface IngressBackend {
  namespace: string;
  /** The Ingress that routed the request. */
  ingress: string;
  service: string;
  /** The Service port by number or by name. */
  port: number | string;
}

interface PathRule {
  path: string;
  exact: boolean;
  /** The path's elements, for Prefix. */
  elements: string[];
  backend: IngressBackend;
}

interface HostRules {
  /** `''` for rules without host. */
  host: string;
  paths: PathRule[];
}

export interface IngressRouteTable {
  exact: Map<string, PathRule[]>;
  wildcard: Map<string, PathRule[]>;
  anyHost: PathRule[];
  defaultBackend?: IngressBackend;
}

function elementsOf(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

function backendOf(namespace: string, ingress: string, b: unknown): IngressBackend | undefined {
  if (!isObject(b) || !isObject(b.service)) return undefined;
  const port = isObject(b.service.port) ? b.service.port : {};
  const value = typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined;
  if (typeof b.service.name !== 'string' || value === undefined) return undefined;
  return { namespace, ingress, service: b.service.name, port: value };
}

function hostRulesOf(ing: JsonObject & { metadata: { namespace?: string; name?: string } }): HostRules[] {
  const spec = isObject(ing.spec) ? ing.spec : {};
  const namespace = ing.metadata.namespace ?? 'default';
  const name = ing.metadata.name ?? '';
  const out: HostRules[] = [];
  for (const rule of Array.isArray(spec.rules) ? spec.rules.filter(isObject) : []) {
    const host = typeof rule.host === 'string' ? rule.host.toLowerCase() : '';
    const paths: PathRule[] = [];
    const http = isObject(rule.http) ? rule.http : {};
    for (const p of Array.isArray(http.paths) ? http.paths.filter(isObject) : []) {
      const backend = backendOf(namespace, name, p.backend);
      if (!backend) continue;
      const path = typeof p.path === 'string' && p.path !== '' ? p.path : '/';
      paths.push({ path, exact: p.pathType === 'Exact', elements: elementsOf(path), backend });
    }
    out.push({ host, paths });
  }
  return out;
}

type IngressLike = JsonObject & { metadata: { namespace?: string; name?: string; creationTimestamp?: string } };

/** Builds the table once per change of the Ingresses; `route` reads it per request. */
export function buildRouteTable(ingresses: readonly IngressLike[]): IngressRouteTable {
  const table: IngressRouteTable = { exact: new Map(), wildcard: new Map(), anyHost: [] };
  // Oldest first (then by namespace/name) so the default backend and equal rules resolve the same way every time.
  const sorted = [...ingresses].sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`,
      ),
  );
  for (const ing of sorted) {
    for (const rules of hostRulesOf(ing)) {
      if (rules.host === '') table.anyHost.push(...rules.paths);
      else if (rules.host.startsWith('*.')) {
        const suffix = rules.host.slice(2);
        table.wildcard.set(suffix, [...(table.wildcard.get(suffix) ?? []), ...rules.paths]);
      } else table.exact.set(rules.host, [...(table.exact.get(rules.host) ?? []), ...rules.paths]);
    }
    const spec = isObject(ing.spec) ? ing.spec : {};
    const fallback = backendOf(ing.metadata.namespace ?? 'default', ing.metadata.name ?? '', spec.defaultBackend);
    if (fallback && !table.defaultBackend) table.defaultBackend = fallback;
  }
  return table;
}

/** Whether a request path matches one rule path, and how long the match is (for "longest wins"). */
function matchLength(rule: PathRule, path: string, elements: readonly string[]): number | undefined {
  if (rule.exact) return path === rule.path ? rule.path.length : undefined;
  if (rule.elements.length > elements.length) return undefined;
  for (let i = 0; i < rule.elements.length; i++) if (rule.elements[i] !== elements[i]) return undefined;
  // The length of the rule path without a trailing '/', so `/foo` and `/foo/` tie.
  return rule.elements.length === 0 ? 0 : rule.elements.join('/').length + 1;
}

function bestPath(rules: readonly PathRule[] | undefined, path: string): IngressBackend | undefined {
  if (!rules) return undefined;
  const elements = elementsOf(path);
  let best: { len: number; exact: boolean; backend: IngressBackend } | undefined;
  for (const rule of rules) {
    const len = matchLength(rule, path, elements);
    if (len === undefined) continue;
    if (!best || len > best.len || (len === best.len && rule.exact && !best.exact))
      best = { len, exact: rule.exact, backend: rule.backend };
  }
  return best?.backend;
}

/** The host of a `Host` header without its port, lower-cased. */
export function hostOf(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

export interface RouteResult {
  backend: IngressBackend;
  /** `rule` when a host/path rule matched, `default` for `spec.defaultBackend`. */
  via: 'rule' | 'default';
}

/** Routes a request; `undefined` when no rule matches and there is no default backend. */
export function route(table: IngressRouteTable, host: string, path: string): RouteResult | undefined {
  const h = host.toLowerCase();
  const dot = h.indexOf('.');
  const backend =
    bestPath(table.exact.get(h), path) ??
    (dot > 0 ? bestPath(table.wildcard.get(h.slice(dot + 1)), path) : undefined) ??
    bestPath(table.anyHost, path);
  if (backend) return { backend, via: 'rule' };
  return table.defaultBackend ? { backend: table.defaultBackend, via: 'default' } : undefined;
}
