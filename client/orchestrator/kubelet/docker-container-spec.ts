/**
 * A pod's container as a Docker create body: command and args (entrypoint
 * and cmd), env, workingDir, user, tty/stdin, memory and CPU limits,
 * securityContext (read-only root, privileged, capabilities), the mounts,
 * the sandbox's network namespace, and the labels the runtime finds it by
 * (pod, sandbox, container name, attempt, named ports, preStop hook).
 */
import { isObject, type JsonObject } from '../store/object';
import { bytes, parseQuantity } from '../../../server/kube-model/quantity';
import type { CreateBody } from './docker-engine-types';
import { LABEL, namePart } from './docker-labels';
import type { MountSpec } from './named-volumes';
import type { ContainerConfig, PodSandboxConfig } from './runtime';

export interface ContainerPlace {
  sandboxId: string;
  sandbox: PodSandboxConfig;
  /** The cluster's and node's labels, put on everything the runtime makes. */
  labels: Readonly<Record<string, string>>;
  mounts: MountSpec[];
  /** Makes the container name unique. */
  suffix: string;
}

export function containerCreateBody(config: ContainerConfig, place: ContainerPlace): CreateBody {
  const { sandbox, sandboxId } = place;
  const spec = config.spec;
  const security = securityOf(sandbox.podSpec, spec);
  const limits = isObject(spec.resources) && isObject(spec.resources.limits) ? spec.resources.limits : {};
  const memory = limits.memory !== undefined ? bytes(limits.memory) : 0;
  const cpu = limits.cpu !== undefined ? parseQuantity(limits.cpu) : 0;
  const lifecycle = isObject(spec.lifecycle) && isObject(spec.lifecycle.preStop) ? spec.lifecycle.preStop : undefined;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  const command = strings(spec.command);
  const args = strings(spec.args);
  return {
    name: `kw_${namePart(config.name)}_${namePart(sandbox.name)}_${namePart(sandbox.namespace)}_${sandbox.podUid.slice(0, 8)}_${config.attempt}_${place.suffix}`,
    Image: config.image,
    ...(command ? { Entrypoint: command, Cmd: args ?? [] } : args ? { Cmd: args } : {}),
    Env: config.env.map((e) => `${e.name}=${e.value}`),
    ...(typeof spec.workingDir === 'string' && spec.workingDir !== '' ? { WorkingDir: spec.workingDir } : {}),
    ...(security.user ? { User: security.user } : {}),
    Tty: spec.tty === true,
    OpenStdin: spec.stdin === true,
    StdinOnce: spec.stdinOnce === true,
    Labels: {
      ...place.labels,
      [LABEL.role]: 'container',
      [LABEL.podUid]: sandbox.podUid,
      [LABEL.podName]: sandbox.name,
      [LABEL.namespace]: sandbox.namespace,
      [LABEL.sandbox]: sandboxId,
      [LABEL.container]: config.name,
      [LABEL.attempt]: String(config.attempt),
      [LABEL.init]: String(config.init),
      ...(config.ephemeral ? { [LABEL.ephemeral]: 'true' } : {}),
      [LABEL.ports]: JSON.stringify(namedPorts(spec)),
      ...(lifecycle ? { [LABEL.preStop]: JSON.stringify(lifecycle) } : {}),
    },
    HostConfig: {
      NetworkMode: `container:${sandboxId}`,
      // A debug container sees its target's processes (`kubectl debug --target`), or the sandbox's.
      ...(config.ephemeral?.pidContainerId ? { PidMode: `container:${config.ephemeral.pidContainerId}` } : {}),
      Mounts: place.mounts,
      ...(memory > 0 ? { Memory: Math.round(memory) } : {}),
      ...(cpu > 0 ? { NanoCpus: Math.round(cpu * 1e9) } : {}),
      ReadonlyRootfs: security.readOnlyRootFilesystem,
      Privileged: security.privileged,
      CapAdd: security.add,
      CapDrop: security.drop,
      ...(security.groups.length > 0 ? { GroupAdd: security.groups } : {}),
      RestartPolicy: { Name: 'no' },
    },
  };
}

function namedPorts(spec: Readonly<JsonObject>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [])
    if (typeof p.name === 'string' && typeof p.containerPort === 'number') out[p.name] = p.containerPort;
  return out;
}

interface Security {
  user?: string;
  readOnlyRootFilesystem: boolean;
  privileged: boolean;
  add: string[];
  drop: string[];
  /** The pod's fsGroup and supplementalGroups, added to the process's groups. */
  groups: string[];
}

function securityOf(podSpec: Readonly<JsonObject>, spec: Readonly<JsonObject>): Security {
  const pod = isObject(podSpec.securityContext) ? podSpec.securityContext : {};
  const c = isObject(spec.securityContext) ? spec.securityContext : {};
  const uid =
    typeof c.runAsUser === 'number' ? c.runAsUser : typeof pod.runAsUser === 'number' ? pod.runAsUser : undefined;
  const gid =
    typeof c.runAsGroup === 'number' ? c.runAsGroup : typeof pod.runAsGroup === 'number' ? pod.runAsGroup : undefined;
  const caps = isObject(c.capabilities) ? c.capabilities : {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    ...(uid !== undefined ? { user: gid !== undefined ? `${uid}:${gid}` : String(uid) } : {}),
    readOnlyRootFilesystem: c.readOnlyRootFilesystem === true,
    privileged: c.privileged === true,
    add: list(caps.add),
    drop: list(caps.drop),
    groups: [
      ...(typeof pod.fsGroup === 'number' ? [String(pod.fsGroup)] : []),
      ...list(pod.supplementalGroups).filter((g) => /^\d+$/.test(g)),
    ],
  };
}
