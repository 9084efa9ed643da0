/** Services (v1): type, ports (numbers, names, protocols, uniqueness, node ports, target ports) and cluster IPs. */
import { isDns1123Subdomain } from '../name-formats';
import type { ValidationContext } from './context';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, notSupported, required } from './field-error';
import { items, objectAt, scalarText, type JsonObject } from './json';
import { isValidName, validateLabels, validateName } from './object-meta';
import {
  isPortNumber,
  isProtocol,
  isValidNumberOrName,
  validateNumberOrName,
  validatePortNumber,
  validateProtocol,
} from './ports';

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
/** The node ports the cluster allocates from (Kubernetes' default `--service-node-port-range`). */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

/** Kubernetes prints a duplicate port as the Go value of the `ServicePort` key it compares. */
function portKey(protocol: unknown, port: number, nodePort: number): string {
  const p = typeof protocol === 'string' ? protocol : 'TCP';
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(p)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:${nodePort}}`;
}

/** A port's field path (made only when a check of that field finds something). */
const portField = (i: number, field: string): FieldPath => ['spec', 'ports', i, field];

/** `ports` are the objects of `spec.ports` (`items`). */
function validatePorts(spec: JsonObject, ports: [number, JsonObject][], out: FieldError[]): void {
  const type = spec.type;
  // Each set is made at the first value it holds (most Services have one port).
  let names: Set<string> | undefined;
  let seen: Set<string> | undefined;
  let seenNodePorts: Set<string> | undefined;
  for (const [i, p] of ports) {
    if (ports.length > 1 || (typeof p.name === 'string' && p.name !== '')) {
      if (typeof p.name !== 'string' || p.name === '') {
        if (ports.length > 1) out.push(required(portField(i, 'name'), '', 'port'));
      } else {
        if (!isValidName(p.name, 'label')) validateName(p.name, portField(i, 'name'), 'label', out);
        if (names?.has(p.name)) out.push(duplicate(portField(i, 'name'), p.name, 'port'));
        (names ??= new Set()).add(p.name);
      }
    }
    if (p.port === undefined) out.push(required(portField(i, 'port'), '', 'port'));
    else if (typeof p.port === 'number' && !isPortNumber(p.port)) validatePortNumber(p.port, portField(i, 'port'), out);
    if (p.protocol !== undefined && !isProtocol(p.protocol))
      validateProtocol(p.protocol, portField(i, 'protocol'), out);
    if (!isValidNumberOrName(p.targetPort, true))
      validateNumberOrName(p.targetPort, portField(i, 'targetPort'), out, true);
    const node = p.nodePort;
    if (typeof node === 'number' && node !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName' || type === undefined)
        out.push(
          forbidden(
            portField(i, 'nodePort'),
            `may not be used when \`type\` is '${typeof type === 'string' ? type : 'ClusterIP'}'`,
            'port',
          ),
        );
      else if (!Number.isInteger(node) || node < NODE_PORT_MIN || node > NODE_PORT_MAX)
        out.push(
          invalid(
            portField(i, 'nodePort'),
            node,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
            'port',
          ),
        );
      else {
        const key = portKey(p.protocol, 0, node);
        if (seenNodePorts?.has(key)) out.push(duplicate(portField(i, 'nodePort'), node, 'port'));
        (seenNodePorts ??= new Set()).add(key);
      }
    }
    if (isPortNumber(p.port)) {
      const protocol = p.protocol ?? 'TCP';
      const key = `${scalarText(protocol)}/${scalarText(p.port)}`;
      if (seen?.has(key))
        out.push({
          ...duplicate(['spec', 'ports', i], '', 'port'),
          message: `Duplicate value: ${portKey(protocol, p.port as number, 0)}`,
        });
      (seen ??= new Set()).add(key);
    }
  }
}

export function validateService(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  const type = spec.type;
  if (type !== undefined && !(typeof type === 'string' && SERVICE_TYPES.includes(type)))
    out.push(notSupported(['spec', 'type'], type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports = items(spec.ports);
  if (ports.length === 0 && type !== 'ExternalName' && !headless) out.push(required(['spec', 'ports'], '', 'port'));
  validatePorts(spec, ports, out);
  if (type === 'ExternalName') {
    const name = spec.externalName;
    if (typeof name !== 'string' || name === '') out.push(required(['spec', 'externalName']));
    else if (!isDns1123Subdomain(name.replace(/\.$/, '')))
      out.push(
        invalid(
          ['spec', 'externalName'],
          name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        ),
      );
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    out.push(invalid(['spec', 'clusterIPs', 0], 'None', `may not be set to 'None' for ${type} services`));
  const affinity = spec.sessionAffinity;
  if (affinity !== undefined && affinity !== 'ClientIP' && affinity !== 'None')
    out.push(notSupported(['spec', 'sessionAffinity'], affinity, ['ClientIP', 'None']));
  // Externally accessible: node ports, a load balancer, or external IPs.
  const external = spec.externalTrafficPolicy;
  const accessible =
    type === 'NodePort' || type === 'LoadBalancer' || (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (external !== undefined && external !== null && external !== '' && !accessible)
    out.push(
      invalid(['spec', 'externalTrafficPolicy'], external, 'may only be set for externally-accessible services'),
    );
  else if (external !== undefined && external !== null && external !== 'Cluster' && external !== 'Local')
    out.push(notSupported(['spec', 'externalTrafficPolicy'], external, ['Cluster', 'Local']));
  validateLabels(spec.selector, ['spec', 'selector'], out);
  if (context.operation !== 'UPDATE' || !context.old) return;
  const oldIP = objectAt(context.old, 'spec').clusterIP;
  if (typeof oldIP === 'string' && oldIP !== '' && spec.clusterIP !== oldIP && type !== 'ExternalName')
    out.push(invalid(['spec', 'clusterIPs', 0], spec.clusterIP, 'may not change once set', 'immutable'));
}
