/** One container of a pod spec: name, image, pull policy, ports, probes and resources. */
import { parseQuantity } from '../quantity';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, duplicate } from './field-error';
import { isObject, items, scalarText, type JsonObject } from './json';
import { validateName } from './object-meta';
import { validateNumberOrName, validatePortName, validatePortNumber, validateProtocol } from './ports';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
/** What an ephemeral container may not have: it joins a running pod, outside its ports, probes and resources. */
const NOT_EPHEMERAL = ['ports', ...PROBES, 'lifecycle', 'resources', 'resizePolicy', 'restartPolicy'];

/** Set in the sense of Kubernetes' Go structs: present, and not an empty object or list. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !isObject(v) || Object.keys(v).length > 0;
}

function nonNegative(parent: JsonObject, keys: string[], path: FieldPath, out: FieldError[]): void {
  for (const key of keys) {
    const v = parent[key];
    if (typeof v === 'number' && v < 0) out.push(invalid([...path, key], v, 'must be greater than or equal to 0'));
  }
}

/** A probe (or lifecycle handler) names exactly one handler; probe ports are numbers or names. */
export function validateProbe(probe: unknown, path: FieldPath, probeName: string, out: FieldError[]): void {
  if (!isObject(probe)) return;
  const set = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (set.length === 0) out.push(required(path, 'must specify a handler type'));
  for (const extra of set.slice(1)) out.push(forbidden([...path, extra], 'may not specify more than 1 handler type'));
  for (const h of ['httpGet', 'tcpSocket']) {
    const handler = probe[h];
    if (isObject(handler)) {
      if (handler.port === undefined || handler.port === '') out.push(required([...path, h, 'port'], '', 'port'));
      else validateNumberOrName(handler.port, [...path, h, 'port'], out);
    }
  }
  if (isObject(probe.grpc)) validatePortNumber(probe.grpc.port, [...path, 'grpc', 'port'], out);
  nonNegative(probe, ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds'], path, out);
  nonNegative(probe, ['successThreshold', 'failureThreshold'], path, out);
  const success = probe.successThreshold;
  if ((probeName === 'livenessProbe' || probeName === 'startupProbe') && typeof success === 'number' && success !== 1)
    out.push(invalid([...path, 'successThreshold'], success, 'must be 1'));
}

function validatePorts(container: JsonObject, path: FieldPath, out: FieldError[]): void {
  const names = new Set<string>();
  for (const [j, p] of items(container.ports)) {
    const at = [...path, 'ports', j];
    // Paths are made only for what a check looks at: port numbers are checked when they are numbers, a protocol when given.
    if (p.containerPort === undefined) out.push(required([...at, 'containerPort'], '', 'port'));
    else if (typeof p.containerPort === 'number') validatePortNumber(p.containerPort, [...at, 'containerPort'], out);
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) validatePortNumber(p.hostPort, [...at, 'hostPort'], out);
    if (typeof p.name === 'string' && p.name !== '') {
      validatePortName(p.name, [...at, 'name'], out);
      if (names.has(p.name)) out.push(duplicate([...at, 'name'], p.name, 'port'));
      names.add(p.name);
    }
    if (p.protocol !== undefined) validateProtocol(p.protocol, [...at, 'protocol'], out);
  }
}

/** Each request no more than its limit, as `resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`. */
function validateResources(container: JsonObject, path: FieldPath, out: FieldError[]): void {
  const resources = isObject(container.resources) ? container.resources : {};
  const requests = isObject(resources.requests) ? resources.requests : {};
  const limits = isObject(resources.limits) ? resources.limits : {};
  for (const [field, map] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, q] of Object.entries(map)) {
      if (parseQuantity(q) < 0)
        out.push(invalid([...path, 'resources', field, { key: name }], q, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const [r, l] = [parseQuantity(request), parseQuantity(limit)];
    if (Number.isNaN(r) || Number.isNaN(l) || r <= l) continue;
    // Kubernetes names the whole `requests` map; the editor points at this request.
    out.push({
      ...invalid(
        [...path, 'resources', 'requests'],
        scalarText(request),
        `must be less than or equal to ${name} limit of ${scalarText(limit)}`,
      ),
      locate: [...path, 'resources', 'requests', name],
    });
  }
}

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container; `names` collects the names seen so far in the pod (they are unique across lists). */
export function validateContainer(
  container: JsonObject,
  path: FieldPath,
  list: ContainerList,
  names: Set<string>,
  out: FieldError[],
): void {
  validateName(container.name, [...path, 'name'], 'label', out);
  if (typeof container.name === 'string' && container.name !== '') {
    if (names.has(container.name)) out.push(duplicate([...path, 'name'], container.name, 'name'));
    names.add(container.name);
  }
  if (typeof container.image !== 'string' || container.image.trim() === '') out.push(required([...path, 'image']));
  const policy = container.imagePullPolicy;
  if (policy !== undefined && !(typeof policy === 'string' && PULL_POLICIES.includes(policy)))
    out.push(notSupported([...path, 'imagePullPolicy'], policy, PULL_POLICIES));
  if (list === 'ephemeralContainers') {
    for (const field of NOT_EPHEMERAL)
      if (isSet(container[field])) out.push(forbidden([...path, field], 'cannot be set for an Ephemeral Container'));
    return;
  }
  validatePorts(container, path, out);
  const sidecar = list === 'initContainers' && container.restartPolicy === 'Always';
  for (const probe of PROBES) {
    if (container[probe] === undefined || container[probe] === null) continue;
    if (list === 'initContainers' && !sidecar)
      out.push(forbidden([...path, probe], 'may not be set for init containers without restartPolicy=Always'));
    else validateProbe(container[probe], [...path, probe], probe, out);
  }
  const lifecycle = isObject(container.lifecycle) ? container.lifecycle : {};
  for (const hook of ['postStart', 'preStop']) {
    if (isObject(lifecycle[hook])) {
      const handler = lifecycle[hook];
      const set = ['exec', 'httpGet', 'tcpSocket', 'sleep'].filter((h) => handler[h] != null);
      if (set.length === 0) out.push(required([...path, 'lifecycle', hook], 'must specify a handler type'));
    }
  }
  validateResources(container, path, out);
}
