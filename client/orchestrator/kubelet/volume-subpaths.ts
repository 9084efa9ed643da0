/**
 * `subPath` mounts of named Docker volumes (emptyDir, persistentVolumeClaim).
 * The engine's own volume subpath option needs API 1.45 (this machine's
 * engine speaks 1.41), and a subPath that does not exist must be created as
 * a directory first in any case. So a short-lived helper container of the
 * infrastructure image (no network) mounts the volumes and runs
 * `kw-infra subpath`, which creates what is missing with the volume root's
 * mode and refuses symbolic links on the way; the container then gets a bind
 * mount of that path under the volume's mount point, which the engine
 * resolves on its own file system (so it also holds for a remote engine).
 */
import { posix } from 'node:path';
import type { DockerEngine } from './docker-client';
import { LABEL } from './docker-labels';
import { INFRA_BINARY } from './infra/infra-image';
import type { MountSpec } from './named-volumes';
import { ContainerStartError } from './runtime';

export interface SubPathContext {
  engine: DockerEngine;
  clusterId: string;
  /** Resolves with the infrastructure image. */
  infraImage: () => Promise<string>;
}

const hasSubPath = (m: MountSpec) => m.Type === 'volume' && m.VolumeOptions?.Subpath !== undefined;

/**
 * The mounts with every named-volume subPath replaced by a bind mount of
 * that path inside the volume, which exists once this resolves.
 */
export async function resolveVolumeSubPaths(ctx: SubPathContext, mounts: MountSpec[]): Promise<MountSpec[]> {
  const wanted = mounts.filter(hasSubPath);
  if (wanted.length === 0) return mounts;
  const volumes = [...new Map(wanted.map((m) => [m.Source, m])).values()];
  const root = (name: string) => `/kw-volume-${volumes.findIndex((v) => v.Source === name)}`;
  const id = await ctx.engine.create({
    Image: await ctx.infraImage(),
    Cmd: [INFRA_BINARY, 'subpath', ...wanted.flatMap((m) => [root(m.Source), m.VolumeOptions!.Subpath!])],
    Labels: { [LABEL.cluster]: ctx.clusterId, [LABEL.role]: 'volume-helper' },
    HostConfig: {
      NetworkMode: 'none',
      Mounts: volumes.map((v) => ({
        Type: 'volume',
        Source: v.Source,
        Target: root(v.Source),
        ReadOnly: false,
        VolumeOptions: { NoCopy: true, Labels: v.VolumeOptions?.Labels ?? {} },
      })),
    },
  });
  try {
    await ctx.engine.start(id);
    if ((await ctx.engine.wait(id)) !== 0) {
      let output = '';
      for await (const chunk of await ctx.engine.logs(id, { follow: false, timestamps: false }))
        output += String(chunk);
      throw new ContainerStartError('CreateContainerConfigError', output.trim() || 'cannot prepare the subPath');
    }
  } finally {
    await ctx.engine.remove(id).catch(() => undefined);
  }
  const places = new Map<string, string>();
  for (const v of volumes) places.set(v.Source, await ctx.engine.volumeMountpoint(v.Source));
  return mounts.map((m) =>
    hasSubPath(m)
      ? {
          Type: 'bind',
          Source: posix.join(places.get(m.Source)!, m.VolumeOptions!.Subpath!),
          Target: m.Target,
          ReadOnly: m.ReadOnly,
        }
      : m,
  );
}
