/**
 * A pod's volumes as Docker mounts: emptyDir as a named volume per pod
 * (shared by its containers), persistentVolumeClaim as a named volume per
 * claim that outlives the pod, configMap and secret projected as files
 * (items, modes) into a host directory that is bind-mounted and rewritten
 * when the object changes, hostPath only when allowed.
 *
 * `subPath` (or `subPathExpr`, expanded from the container's env) mounts one
 * path inside the volume; a missing one is created as a directory. For the
 * host directories (configMap, secret, hostPath) that is a bind of the path;
 * a named volume's subPath is left in `VolumeOptions.Subpath` for
 * volume-subpaths.ts. A configMap or secret file mounted by subPath keeps the
 * content it had when the container was created, as in Kubernetes.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { isObject, type JsonObject } from '../store/object';
import { expandVariables } from './container-env';
import { namePart } from './docker-labels';
import { isNamedVolume, namedVolumeMount, type MountSpec } from './named-volumes';
import { ContainerStartError } from './runtime';

/** Reads ConfigMaps and Secrets (the store, in the orchestrator). */
export type ObjectReader = (kind: 'configmaps' | 'secrets', namespace: string, name: string) => JsonObject | undefined;

export interface PodVolumeContext {
  clusterId: string;
  podUid: string;
  namespace: string;
  podSpec: Readonly<JsonObject>;
  /** Host directory for this pod's projected files. */
  podDir: string;
  allowHostPath: boolean;
  read: ObjectReader;
}

const volumesOf = (spec: Readonly<JsonObject>) => (Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : []);

/** A volumeMount's subPath, or its subPathExpr expanded from the container's env; undefined for the whole volume. */
export function subPathOf(
  mount: Readonly<JsonObject>,
  env: readonly { name: string; value: string }[] = [],
): string | undefined {
  let path: string | undefined;
  if (typeof mount.subPathExpr === 'string' && mount.subPathExpr !== '')
    path = expandVariables(mount.subPathExpr, new Map(env.map((e) => [e.name, e.value])));
  else if (typeof mount.subPath === 'string' && mount.subPath !== '') path = mount.subPath;
  if (path === undefined) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.includes('..')) {
    throw new ContainerStartError(
      'CreateContainerConfigError',
      `subPath "${path}" of volume "${String(mount.name)}" must be a relative path inside the volume`,
    );
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/** A path inside a host directory for a subPath bind; created as a directory when missing, as the kubelet does. */
function hostSubPath(dir: string, subPath: string): string {
  const path = safeJoin(dir, subPath);
  if (!existsSync(path)) {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw new ContainerStartError(
        'CreateContainerConfigError',
        `cannot create subPath "${subPath}" in ${dir}: ${(error as Error).message}`,
      );
    }
  }
  return path;
}

/** The Docker mounts of one container; writes projected files first. `env`: the container's resolved env, for subPathExpr. */
export function containerMounts(
  ctx: PodVolumeContext,
  container: Readonly<JsonObject>,
  env: readonly { name: string; value: string }[] = [],
): MountSpec[] {
  const volumes = new Map(volumesOf(ctx.podSpec).map((v) => [String(v.name), v]));
  const mounts: MountSpec[] = [];
  for (const m of Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isObject) : []) {
    const name = String(m.name);
    const v = volumes.get(name);
    if (!v) throw new ContainerStartError('CreateContainerConfigError', `volume "${name}" not found in the pod`);
    const target = String(m.mountPath);
    const readOnly = m.readOnly === true;
    const subPath = subPathOf(m, env);
    if (isNamedVolume(v)) {
      mounts.push(namedVolumeMount(ctx, v, target, readOnly, subPath));
    } else if (isObject(v.configMap) || isObject(v.secret)) {
      const dir = projectVolume(ctx, v);
      mounts.push({ Type: 'bind', Source: subPath ? hostSubPath(dir, subPath) : dir, Target: target, ReadOnly: true });
    } else if (isObject(v.hostPath)) {
      if (!ctx.allowHostPath) {
        throw new ContainerStartError(
          'CreateContainerConfigError',
          `hostPath volume "${name}" is not allowed: it gives the container the host; start the cluster with hostPath allowed to use it`,
        );
      }
      const path = String(v.hostPath.path);
      mounts.push({
        Type: 'bind',
        Source: subPath ? hostSubPath(path, subPath) : path,
        Target: target,
        ReadOnly: readOnly,
      });
    } else {
      throw new ContainerStartError(
        'CreateContainerConfigError',
        `volume "${name}": this volume type is not supported`,
      );
    }
  }
  return mounts;
}

/** Writes (or rewrites) every configMap/secret volume of the pod; returns false if one is missing. */
export function refreshProjectedVolumes(ctx: PodVolumeContext): void {
  for (const v of volumesOf(ctx.podSpec)) {
    if (isObject(v.configMap) || isObject(v.secret)) {
      try {
        projectVolume(ctx, v);
      } catch {
        // missing object: keep the last files, as the kubelet does
      }
    }
  }
}

function projectVolume(ctx: PodVolumeContext, v: JsonObject): string {
  const source = (isObject(v.configMap) ? v.configMap : v.secret) as JsonObject;
  const kind = isObject(v.configMap) ? 'configmaps' : 'secrets';
  const objName = String(kind === 'configmaps' ? source.name : source.secretName);
  const obj = ctx.read(kind, ctx.namespace, objName);
  const dir = join(ctx.podDir, 'volumes', namePart(String(v.name)));
  if (!obj) {
    if (source.optional === true) {
      mkdirSync(dir, { recursive: true });
      return dir;
    }
    throw new ContainerStartError(
      'CreateContainerConfigError',
      `${kind === 'configmaps' ? 'configmap' : 'secret'} "${objName}" not found`,
    );
  }
  const data: Record<string, Buffer> = {};
  if (isObject(obj.data)) {
    for (const [k, val] of Object.entries(obj.data))
      data[k] = kind === 'secrets' ? Buffer.from(String(val), 'base64') : Buffer.from(String(val));
  }
  if (isObject(obj.binaryData))
    for (const [k, val] of Object.entries(obj.binaryData)) data[k] = Buffer.from(String(val), 'base64');
  if (kind === 'secrets' && isObject(obj.stringData))
    for (const [k, val] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(val));
  const defaultMode = typeof source.defaultMode === 'number' ? source.defaultMode : 0o644;
  const files: { path: string; content: Buffer; mode: number }[] = [];
  if (Array.isArray(source.items)) {
    for (const item of source.items.filter(isObject)) {
      const content = data[String(item.key)];
      if (content === undefined) {
        if (source.optional === true) continue;
        throw new ContainerStartError(
          'CreateContainerConfigError',
          `couldn't find key ${String(item.key)} in ${kind === 'configmaps' ? 'ConfigMap' : 'Secret'} ${ctx.namespace}/${objName}`,
        );
      }
      files.push({
        path: String(item.path),
        content,
        mode: typeof item.mode === 'number' ? item.mode : defaultMode,
      });
    }
  } else for (const [k, content] of Object.entries(data)) files.push({ path: k, content, mode: defaultMode });
  writeTree(dir, files);
  return dir;
}

/** Replaces the directory's files: new ones by write + rename, stale ones removed. */
function writeTree(dir: string, files: { path: string; content: Buffer; mode: number }[]): void {
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  for (const f of files) {
    const target = safeJoin(dir, f.path);
    wanted.add(f.path.split('/')[0]!);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.kw-tmp`;
    writeFileSync(tmp, f.content);
    chmodSync(tmp, f.mode);
    renameSync(tmp, target);
  }
  for (const name of readdirSync(dir)) if (!wanted.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
}

function safeJoin(dir: string, rel: string): string {
  const path = normalize(join(dir, rel));
  if (!path.startsWith(`${normalize(dir)}/`) && path !== normalize(dir)) {
    throw new ContainerStartError('CreateContainerConfigError', `path "${rel}" leaves its volume`);
  }
  return path;
}
