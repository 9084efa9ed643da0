/**
 * A pod spec, in a Pod or a workload's template: containers (container.ts),
 * volumes and their mounts, unique host ports and the restart policy. Exported
 * for every kind that holds a pod template (ReplicationController too).
 */
import { type FieldError, type FieldPath, duplicate, invalid, notFound, notSupported, required } from './field-error';
import { hasObjectItem, isObject, items, listOf, type JsonObject } from './json';
import { type ContainerList, validateContainer } from './container';
import { isValidName, validateName } from './object-meta';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const LISTS: ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];
const HOST_PORT_LISTS = ['initContainers', 'containers'] as const;

function validateVolumes(spec: JsonObject, path: FieldPath, out: FieldError[]): Set<string> {
  const names = new Set<string>();
  const volumes = listOf(spec.volumes);
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    if (!isObject(v)) continue;
    // The path is made only for a finding.
    const name = v.name;
    if (!isValidName(name, 'label')) validateName(name, [...path, 'volumes', i, 'name'], 'label', out);
    if (typeof name === 'string' && name !== '') {
      if (names.has(name)) out.push(duplicate([...path, 'volumes', i, 'name'], name, 'name'));
      names.add(name);
    }
  }
  return names;
}

function validateMounts(container: JsonObject, path: FieldPath, volumes: Set<string>, out: FieldError[]): void {
  if (!Array.isArray(container.volumeMounts) || container.volumeMounts.length === 0) return;
  const paths = new Set<string>();
  const mounts = listOf(container.volumeMounts);
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    if (!isObject(m)) continue;
    const { name, mountPath } = m;
    if (typeof name !== 'string' || name === '') out.push(required([...path, 'volumeMounts', i, 'name']));
    else if (!volumes.has(name)) out.push(notFound([...path, 'volumeMounts', i, 'name'], name));
    if (typeof mountPath !== 'string' || mountPath === '')
      out.push(required([...path, 'volumeMounts', i, 'mountPath']));
    else {
      if (paths.has(mountPath))
        out.push(invalid([...path, 'volumeMounts', i, 'mountPath'], mountPath, 'must be unique'));
      paths.add(mountPath);
    }
  }
}

/** Host ports (with their protocol) may be used once in a pod. */
function validateHostPorts(spec: JsonObject, path: FieldPath, out: FieldError[]): void {
  let used: Set<string> | undefined; // made at the first host port
  for (let l = 0; l < HOST_PORT_LISTS.length; l++) {
    const list = HOST_PORT_LISTS[l]!;
    const containers = listOf(spec[list]);
    for (let c = 0; c < containers.length; c++) {
      const container = containers[c];
      if (!isObject(container)) continue;
      const ports = listOf(container.ports);
      for (let p = 0; p < ports.length; p++) {
        const port = ports[p];
        if (!isObject(port) || typeof port.hostPort !== 'number' || port.hostPort === 0) continue;
        const key = `${port.hostPort}/${typeof port.protocol === 'string' ? port.protocol : 'TCP'}`;
        used ??= new Set<string>();
        if (used.has(key)) out.push(duplicate([...path, list, c, 'ports', p, 'hostPort'], key, 'port'));
        used.add(key);
      }
    }
  }
}

/** An ephemeral container's target is one of the pod's other containers. */
function validateTargets(spec: JsonObject, path: FieldPath, out: FieldError[]): void {
  if (!hasObjectItem(spec.ephemeralContainers)) return; // nothing to check: no names gathered
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
  if (!hasObjectItem(spec.containers)) out.push(required([...path, 'containers']));
  const volumes = validateVolumes(spec, path, out);
  for (let i = 0; i < extraVolumes.length; i++) volumes.add(extraVolumes[i]!);
  const names = new Set<string>();
  // By index: the first pass of a large file runs this unoptimized, where `for...of` calls the iterator per item.
  for (let l = 0; l < LISTS.length; l++) {
    const list = LISTS[l]!;
    const containers = listOf(spec[list]);
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      if (!isObject(container)) continue;
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
