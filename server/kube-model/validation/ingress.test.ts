import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, object } from './test-manifests';

const backend = { service: { name: 'web', port: { number: 80 } } };
const ingress = (path: Record<string, unknown>, host = 'example.com') =>
  object('networking.k8s.io/v1', 'Ingress', {
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend, ...path }] } }] },
  });
const at = 'spec.rules[0].http.paths[0]';

describe('Ingress rules', () => {
  it('accepts a plain Ingress and a wildcard host', () => {
    assert.deepEqual(errors(ingress({})), []);
    assert.deepEqual(errors(ingress({}, '*.example.com')), []);
  });
  const cases: [string, Record<string, unknown>, string, string[]][] = [
    ['pathType required', { pathType: undefined }, 'example.com', [`${at}.pathType: Required value`]],
    [
      'pathType',
      { pathType: 'Regex' },
      'example.com',
      [`${at}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`],
    ],
    ['absolute path', { path: 'api' }, 'example.com', [`${at}.path: Invalid value: "api": must be an absolute path`]],
    ['backend required', { backend: undefined }, 'example.com', [`${at}.backend: Required value`]],
    [
      'backend port name or number',
      { backend: { service: { name: 'web', port: {} } } },
      'example.com',
      [`${at}.backend.service.port: Required value: port name or number is required`],
    ],
    [
      'not both port name and number',
      { backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } },
      'example.com',
      [
        `${at}.backend.service.port: Invalid value: {"name":"http","number":80}: cannot set both port name & port number`,
      ],
    ],
    [
      'service and resource backends',
      { backend: { ...backend, resource: { kind: 'X', name: 'y' } } },
      'example.com',
      [`${at}.backend: Invalid value: "": cannot set both resource and service backends`],
    ],
    [
      'host is a name',
      {},
      '10.0.0.1',
      ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ],
  ];
  for (const [name, path, host, expected] of cases)
    it(name, () => assert.deepEqual(errors(ingress(path, host)), expected));
  it('rules or a default backend', () => {
    assert.deepEqual(errors(object('networking.k8s.io/v1', 'Ingress', { spec: {} })), [
      'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
    ]);
  });
});
