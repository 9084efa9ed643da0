/**
 * A pod spec, in a Pod or a workload's template: containers (container.ts),
 * volumes and their mounts, unique host ports and the restart policy. Exported
 * for every kind that holds a pod template (ReplicationController too).
 */
import { type FieldError, type FieldPath, duplicate, invalid, notFound, notSupported, required } from './field-error';
import { isObject, items, type JsonObject } from './json';
import { type ContainerList, validateContainer } from './container';
import { validateName } from './object-meta';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const LISTS: ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

function validateVolumes(spec: JsonObject, path: FieldPath, out: FieldError[]): Set<string> {
  const names = new Set<string>();
  for (const [i, v] of items(spec.volumes)) {
    const at = [...path, 'volumes', i, 'name'];
    validateName(v.name, at, 'label', out);
    if (typeof v.name === 'string' && v.name !== '') {
      if (names.has(v.name)) out.push(duplicate(at, v.name, 'name'));
      names.add(v.name);
    }
  }
  return names;
}

function validateMounts(container: JsonObject, path: FieldPath, volumes: Set<string>, out: FieldError[]): void {
  const paths = new Set<string>();
  for (const [i, m] of items(container.volumeMounts)) {
    const at = [...path, 'volumeMounts', i];
    if (typeof m.name !== 'string' || m.name === '') out.push(required([...at, 'name']));
    else if (!volumes.has(m.name)) out.push(notFound([...at, 'name'], m.name));
    if (typeof m.mountPath !== 'string' || m.mountPath === '') out.push(required([...at, 'mountPath']));
    else {
      if (paths.has(m.mountPath)) out.push(invalid([...at, 'mountPath'], m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
  }
}

/** Host ports (with their protocol) may be used once in a pod. */
function validateHostPorts(spec: JsonObject, path: FieldPath, out: FieldError[]): void {
  const used = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    for (const [c, container] of items(spec[list])) {
      for (const [p, port] of items(container.ports)) {
        if (typeof port.hostPort !== 'number' || port.hostPort === 0) continue;
        const key = `${port.hostPort}/${typeof port.protocol === 'string' ? port.protocol : 'TCP'}`;
        if (used.has(key)) out.push(duplicate([...path, list, c, 'ports', p, 'hostPort'], key, 'port'));
        used.add(key);
      }
    }
  }
}

/** An ephemeral container's target is one of the pod's other containers. */
function validateTargets(spec: JsonObject, path: FieldPath, out: FieldError[]): void {
  const names = new Set(
    [...items(spec.initContainers), ...items(spec.containers)]
      .map(([, c]) => c.name)
      .filter((n) => typeof n === 'string'),
  );
  for (const [i, c] of items(spec.ephemeralContainers)) {
    const target = c.targetContainerName;
    if (target === undefined || target === null || target === '') continue;
    if (typeof target !== 'string' || !names.has(target))
      out.push(notFound([...path, 'ephemeralContainers', i, 'targetContainerName'], target));
  }
}

/** Everything a pod spec at `path` must satisfy, whatever holds it. */
export function validatePodSpec(
  spec: unknown,
  path: FieldPath,
  out: FieldError[],
  /** Volumes that come from elsewhere (a StatefulSet's claim templates). */
  extraVolumes: readonly string[] = [],
): void {
  // A missing spec is an empty one (Kubernetes' PodSpec is a value): its containers are missing.
  if (!isObject(spec)) {
    out.push(required([...path, 'containers']));
    return;
  }
  if (items(spec.containers).length === 0) out.push(required([...path, 'containers']));
  const volumes = validateVolumes(spec, path, out);
  for (const name of extraVolumes) volumes.add(name);
  const names = new Set<string>();
  for (const list of LISTS) {
    for (const [i, container] of items(spec[list])) {
      // One path for both (neither keeps it: each error gets a copy with its field).
      const at = [...path, list, i];
      validateContainer(container, at, list, names, out);
      validateMounts(container, at, volumes, out);
    }
  }
  validateHostPorts(spec, path, out);
  validateTargets(spec, path, out);
  const restart = spec.restartPolicy;
  if (restart !== undefined && !(typeof restart === 'string' && RESTART_POLICIES.includes(restart)))
    out.push(notSupported([...path, 'restartPolicy'], restart, RESTART_POLICIES));
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && deadline <= 0)
    out.push(invalid([...path, 'activeDeadlineSeconds'], deadline, 'must be between 1 and 2147483647, inclusive'));
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace < 0)
    out.push(invalid([...path, 'terminationGracePeriodSeconds'], grace, 'must be greater than or equal to 0'));
}
