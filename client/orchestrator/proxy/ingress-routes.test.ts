import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildRouteTable, hostOf, route } from './ingress-routes';

type P = { path: string; pathType?: string; service: string; port?: number | string };

function ingress(name: string, rules: { host?: string; paths: P[] }[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', creationTimestamp: `2025-01-01T00:00:0${name.length % 10}Z` },
    spec: {
      ...extra,
      rules: rules.map((r) => ({
        ...(r.host !== undefined ? { host: r.host } : {}),
        http: {
          paths: r.paths.map((p) => ({
            path: p.path,
            pathType: p.pathType ?? 'Prefix',
            backend: {
              service: {
                name: p.service,
                port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 },
              },
            },
          })),
        },
      })),
    },
  };
}

const to = (table: ReturnType<typeof buildRouteTable>, host: string, path: string) =>
  route(table, host, path)?.backend.service ?? 'none';

describe('Ingress routes', () => {
  it('matches Prefix element by element: /foo matches /foo, /foo/ and /foo/bar, not /foobar', () => {
    const t = buildRouteTable([ingress('a', [{ paths: [{ path: '/foo', service: 'foo' }] }])]);
    assert.equal(to(t, 'x', '/foo'), 'foo');
    assert.equal(to(t, 'x', '/foo/'), 'foo');
    assert.equal(to(t, 'x', '/foo/bar'), 'foo');
    assert.equal(to(t, 'x', '/foobar'), 'none');
    assert.equal(to(t, 'x', '/'), 'none');
  });

  it('treats a Prefix with a trailing slash like the one without, and / as everything', () => {
    const t = buildRouteTable([
      ingress('a', [
        {
          paths: [
            { path: '/aaa/bbb/', service: 'b' },
            { path: '/', service: 'root' },
          ],
        },
      ]),
    ]);
    assert.equal(to(t, 'x', '/aaa/bbb'), 'b');
    assert.equal(to(t, 'x', '/aaa/bbbxyz'), 'root');
    assert.equal(to(t, 'x', '/anything/else'), 'root');
  });

  it('compares Exact paths case-sensitively and without element rules', () => {
    const t = buildRouteTable([ingress('a', [{ paths: [{ path: '/Foo', pathType: 'Exact', service: 'exact' }] }])]);
    assert.equal(to(t, 'x', '/Foo'), 'exact');
    assert.equal(to(t, 'x', '/foo'), 'none');
    assert.equal(to(t, 'x', '/Foo/'), 'none');
    assert.equal(to(t, 'x', '/Foo/bar'), 'none');
  });

  it('takes the longest match, and Exact over Prefix on a tie', () => {
    const t = buildRouteTable([
      ingress('a', [
        {
          paths: [
            { path: '/api', service: 'api' },
            { path: '/api/v2', service: 'v2' },
            { path: '/api/v2', pathType: 'Exact', service: 'v2-exact' },
          ],
        },
      ]),
    ]);
    assert.equal(to(t, 'x', '/api/v1/items'), 'api');
    assert.equal(to(t, 'x', '/api/v2/items'), 'v2');
    assert.equal(to(t, 'x', '/api/v2'), 'v2-exact');
  });

  it('treats ImplementationSpecific as Prefix', () => {
    const t = buildRouteTable([
      ingress('a', [{ paths: [{ path: '/docs', pathType: 'ImplementationSpecific', service: 'docs' }] }]),
    ]);
    assert.equal(to(t, 'x', '/docs/index.html'), 'docs');
    assert.equal(to(t, 'x', '/docsx'), 'none');
  });

  it('matches hosts exactly, then a wildcard of exactly one label, then rules without host', () => {
    const t = buildRouteTable([
      ingress('a', [
        { host: 'app.example.com', paths: [{ path: '/', service: 'app' }] },
        { host: '*.example.com', paths: [{ path: '/', service: 'wild' }] },
        { paths: [{ path: '/', service: 'any' }] },
      ]),
    ]);
    assert.equal(to(t, 'APP.example.com', '/'), 'app');
    assert.equal(to(t, 'other.example.com', '/x'), 'wild');
    assert.equal(to(t, 'a.b.example.com', '/'), 'any');
    assert.equal(to(t, 'example.com', '/'), 'any');
    assert.equal(to(t, '127.0.0.1', '/'), 'any');
  });

  it('falls back to spec.defaultBackend, and answers nothing without one', () => {
    const withDefault = buildRouteTable([
      ingress('a', [{ host: 'a.test', paths: [{ path: '/a', service: 'a' }] }], {
        defaultBackend: { service: { name: 'fallback', port: { name: 'http' } } },
      }),
    ]);
    const r = route(withDefault, 'b.test', '/a');
    assert.deepEqual(r, {
      backend: { namespace: 'default', ingress: 'a', service: 'fallback', port: 'http' },
      via: 'default',
    });
    assert.equal(route(buildRouteTable([]), 'x', '/'), undefined);
  });

  it('merges rules of several Ingresses and keeps the backend port by number or name', () => {
    const t = buildRouteTable([
      ingress('one', [{ host: 'shop.test', paths: [{ path: '/cart', service: 'cart', port: 8080 }] }]),
      ingress('two', [{ host: 'shop.test', paths: [{ path: '/', service: 'web', port: 'http' }] }]),
    ]);
    assert.deepEqual(route(t, 'shop.test', '/cart/1')?.backend, {
      namespace: 'default',
      ingress: 'one',
      service: 'cart',
      port: 8080,
    });
    assert.deepEqual(route(t, 'shop.test', '/')?.backend, {
      namespace: 'default',
      ingress: 'two',
      service: 'web',
      port: 'http',
    });
  });

  it('reads the host of a Host header without its port', () => {
    assert.equal(hostOf('Shop.Test:8080'), 'shop.test');
    assert.equal(hostOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostOf('[::1]:80'), '[::1]');
    assert.equal(hostOf(undefined), '');
  });
});
