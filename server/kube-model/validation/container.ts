/** One container of a pod spec: name, image, pull policy, ports, probes and resources. */
import { parseQuantity } from '../quantity';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, duplicate } from './field-error';
import { isObject, listOf, scalarText, type JsonObject } from './json';
import { isValidName, validateName } from './object-meta';
import {
  isPortNumber,
  isProtocol,
  isValidPortName,
  validateNumberOrName,
  validatePortName,
  validatePortNumber,
  validateProtocol,
} from './ports';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
/** The handlers with a port to check. */
const PORT_HANDLERS = ['httpGet', 'tcpSocket'];
const PROBE_TIMES = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds'];
const PROBE_THRESHOLDS = ['successThreshold', 'failureThreshold'];
/** What an ephemeral container may not have: it joins a running pod, outside its ports, probes and resources. */
const NOT_EPHEMERAL = ['ports', ...PROBES, 'lifecycle', 'resources', 'resizePolicy', 'restartPolicy'];

/** Set in the sense of Kubernetes' Go structs: present, and not an empty object or list. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  return !isObject(v) || Object.keys(v).length > 0;
}

function nonNegative(parent: JsonObject, keys: readonly string[], path: FieldPath, out: FieldError[]): void {
  // By index: the first pass of a large file runs this unoptimized, where `for...of` calls the iterator per key.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = parent[key];
    if (typeof v === 'number' && v < 0) out.push(invalid([...path, key], v, 'must be greater than or equal to 0'));
  }
}

/** A probe (or lifecycle handler) names exactly one handler; probe ports are numbers or names. */
export function validateProbe(probe: unknown, path: FieldPath, probeName: string, out: FieldError[]): void {
  if (!isObject(probe)) return;
  // Loops by index over constant lists: a large file's first pass runs this unoptimized, where each
  // `for...of`, closure and array literal costs a call or an allocation per probe.
  let handlers = 0;
  for (let i = 0; i < HANDLERS.length; i++) {
    const h = HANDLERS[i]!;
    if (probe[h] === undefined || probe[h] === null) continue;
    if (handlers++ > 0) out.push(forbidden([...path, h], 'may not specify more than 1 handler type'));
  }
  if (handlers === 0) out.push(required(path, 'must specify a handler type'));
  for (let i = 0; i < PORT_HANDLERS.length; i++) {
    const h = PORT_HANDLERS[i]!;
    const handler = probe[h];
    if (isObject(handler)) {
      if (handler.port === undefined || handler.port === '') out.push(required([...path, h, 'port'], '', 'port'));
      else validateNumberOrName(handler.port, [...path, h, 'port'], out);
    }
  }
  if (isObject(probe.grpc)) validatePortNumber(probe.grpc.port, [...path, 'grpc', 'port'], out);
  nonNegative(probe, PROBE_TIMES, path, out);
  nonNegative(probe, PROBE_THRESHOLDS, path, out);
  const success = probe.successThreshold;
  if ((probeName === 'livenessProbe' || probeName === 'startupProbe') && typeof success === 'number' && success !== 1)
    out.push(invalid([...path, 'successThreshold'], success, 'must be 1'));
}

function validatePorts(container: JsonObject, path: FieldPath, out: FieldError[]): void {
  const ports = listOf(container.ports);
  let names: Set<string> | undefined;
  for (let j = 0; j < ports.length; j++) {
    const p = ports[j];
    if (!isObject(p)) continue;
    // A field's path is made only when its check finds something (the same findings, in the same order).
    const { containerPort, hostPort, name, protocol } = p;
    if (containerPort === undefined) out.push(required([...path, 'ports', j, 'containerPort'], '', 'port'));
    else if (typeof containerPort === 'number' && !isPortNumber(containerPort))
      validatePortNumber(containerPort, [...path, 'ports', j, 'containerPort'], out);
    if (typeof hostPort === 'number' && hostPort !== 0 && !isPortNumber(hostPort))
      validatePortNumber(hostPort, [...path, 'ports', j, 'hostPort'], out);
    if (typeof name === 'string' && name !== '') {
      if (!isValidPortName(name)) validatePortName(name, [...path, 'ports', j, 'name'], out);
      names ??= new Set<string>();
      if (names.has(name)) out.push(duplicate([...path, 'ports', j, 'name'], name, 'port'));
      names.add(name);
    }
    if (protocol !== undefined && !isProtocol(protocol))
      validateProtocol(protocol, [...path, 'ports', j, 'protocol'], out);
  }
}

/** Quantities below zero in `resources.limits` or `resources.requests` (keys in `Object.keys` order). */
function negativeQuantities(map: JsonObject, path: FieldPath, field: string, out: FieldError[]): void {
  const names = Object.keys(map);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const q = map[name];
    if (parseQuantity(q) < 0)
      out.push(invalid([...path, 'resources', field, { key: name }], q, 'must be greater than or equal to 0'));
  }
}

/** Each request no more than its limit, as `resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`. */
function validateResources(container: JsonObject, path: FieldPath, out: FieldError[]): void {
  const resources = container.resources;
  if (!isObject(resources)) return;
  const requests = isObject(resources.requests) ? resources.requests : undefined;
  const limits = isObject(resources.limits) ? resources.limits : undefined;
  if (limits) negativeQuantities(limits, path, 'limits', out);
  if (!requests) return;
  negativeQuantities(requests, path, 'requests', out);
  if (!limits) return;
  const names = Object.keys(requests);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const request = requests[name];
    const limit = limits[name];
    if (limit === undefined) continue;
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
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
  if (!isValidName(container.name, 'label')) validateName(container.name, [...path, 'name'], 'label', out);
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
  for (let i = 0; i < PROBES.length; i++) {
    const probe = PROBES[i]!;
    if (container[probe] === undefined || container[probe] === null) continue;
    if (list === 'initContainers' && !sidecar)
      out.push(forbidden([...path, probe], 'may not be set for init containers without restartPolicy=Always'));
    else validateProbe(container[probe], [...path, probe], probe, out);
  }
  const lifecycle = container.lifecycle;
  if (isObject(lifecycle))
    for (const hook of HOOKS) {
      const handler = lifecycle[hook];
      if (isObject(handler) && !HOOK_HANDLERS.some((h) => handler[h] != null))
        out.push(required([...path, 'lifecycle', hook], 'must specify a handler type'));
    }
  validateResources(container, path, out);
}
