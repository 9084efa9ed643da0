/** Ingresses (networking.k8s.io/v1): rules, hosts, paths and backends. */
import { isDns1035Label, isDns1123Subdomain } from '../name-formats';
import { type FieldError, type FieldPath, invalid, notSupported, required } from './field-error';
import { isObject, items, objectAt, type JsonObject } from './json';
import { validatePortName } from './ports';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

function validateBackend(backend: unknown, path: FieldPath, out: FieldError[]): void {
  if (!isObject(backend)) {
    out.push(required(path));
    return;
  }
  const service = backend.service;
  if (service != null && backend.resource != null) {
    out.push(invalid(path, '', 'cannot set both resource and service backends'));
    return;
  }
  if (service == null && backend.resource == null) {
    out.push(invalid(path, '', 'resource or service backend is required'));
    return;
  }
  if (!isObject(service)) return;
  if (typeof service.name === 'string' && service.name !== '' && !isDns1035Label(service.name))
    out.push(
      invalid(
        [...path, 'service', 'name'],
        service.name,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      ),
    );
  const port = objectAt(service, 'port');
  const at = [...path, 'service', 'port'];
  const hasName = typeof port.name === 'string' && port.name !== '';
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  if (hasName && hasNumber) out.push(invalid(at, port, 'cannot set both port name & port number', 'port'));
  else if (hasName) validatePortName(port.name, [...at, 'name'], out);
  else if (hasNumber) {
    const n = port.number as number;
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      out.push(invalid([...at, 'number'], n, 'must be between 1 and 65535, inclusive', 'port'));
  } else out.push(required(at, 'port name or number is required', 'port'));
}

function validateHost(host: unknown, path: FieldPath, out: FieldError[]): void {
  if (typeof host !== 'string' || host === '') return;
  if (IP.test(host)) {
    out.push(invalid(path, host, 'must be a DNS name, not an IP address'));
    return;
  }
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (!isDns1123Subdomain(name))
    out.push(
      invalid(
        path,
        host,
        host.startsWith('*.')
          ? "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
          : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    );
}

export function validateIngress(object: JsonObject, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  const rules = items(spec.rules);
  if (rules.length === 0 && spec.defaultBackend == null)
    out.push(invalid(['spec'], null, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend != null) validateBackend(spec.defaultBackend, ['spec', 'defaultBackend'], out);
  for (const [i, rule] of rules) {
    validateHost(rule.host, ['spec', 'rules', i, 'host'], out);
    for (const [j, p] of items(objectAt(rule, 'http').paths)) {
      const at = ['spec', 'rules', i, 'http', 'paths', j];
      const type = p.pathType;
      if (type === undefined) out.push(required([...at, 'pathType']));
      else if (!(typeof type === 'string' && PATH_TYPES.includes(type)))
        out.push(notSupported([...at, 'pathType'], type, PATH_TYPES));
      const path = typeof p.path === 'string' ? p.path : '';
      if ((type === 'Exact' || type === 'Prefix') && !path.startsWith('/'))
        out.push(invalid([...at, 'path'], path, 'must be an absolute path'));
      validateBackend(p.backend, [...at, 'backend'], out);
    }
  }
}
