/**
 * The build-and-apply step of dev mode: builds some of a configuration's
 * images (through `kube-workbench build`), puts the content-hash references
 * into the manifests' objects (the files are never changed) and applies them
 * all through the apply engine, waiting for the rollout. DevSession calls it for
 * the first run, for a rebuild, and when a manifest changes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorText } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { applyObjects } from '../run/apply-engine.js';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';
import { buildErrorText } from './build-and-rewrite.js';
import { buildRequest, runBuild } from './build-runner.js';
import type { DevArtifact, RedeployProgress, RedeployResult } from './dev-session.js';
import { rewriteImages } from './image-rewrite.js';
import type { ArtifactConfig } from './skaffold-config.js';

export interface DeployerOptions {
  conn: ClusterConnection;
  artifacts: readonly ArtifactConfig[];
  /** The manifest files (read again at each deploy). */
  manifestFiles: readonly string[];
  /** `scripts/kube-workbench.js`, which runs `build`. */
  cliScript: string;
  execPath?: string;
  /** A Docker engine socket other than the default. */
  dockerSocket?: string;
  /** Paths in messages are relative to it. */
  cwd?: string;
  rolloutTimeoutMs?: number;
}

/** The session's view of an artifact (absolute Dockerfile). */
export function devArtifactOf(a: ArtifactConfig): DevArtifact {
  const out: DevArtifact = { image: a.image, context: a.context, dockerfile: join(a.context, a.dockerfile) };
  if (a.target !== undefined) out.target = a.target;
  if (a.sync.manual.length > 0 || a.sync.infer.length > 0) out.sync = a.sync;
  return out;
}

/** The redeploy function DevSession takes. */
export function deployer(options: DeployerOptions) {
  return async (
    images: readonly string[],
    tags: Readonly<Record<string, string>>,
    progress: RedeployProgress,
    signal: AbortSignal,
  ): Promise<RedeployResult> => {
    const built: Record<string, string> = {};
    if (images.length > 0) {
      const outcome = await runBuild(buildRequest(options.artifacts.filter((a) => images.includes(a.image))), {
        cliScript: options.cliScript,
        ...(options.execPath !== undefined ? { execPath: options.execPath } : {}),
        ...(options.dockerSocket ? { dockerSocket: options.dockerSocket } : {}),
        signal,
        onEvent: (event) => {
          if (event.type === 'built') progress.built(event.image, event.tag, event.seconds, false);
          else if (event.type === 'cached') progress.built(event.image, event.tag, 0, true);
          else if (event.type === 'step')
            progress.progress(`  ${event.image} step ${event.step}/${event.total}: ${event.instruction}`);
        },
      });
      if (!outcome.ok) {
        const why = outcome.errors.map((e) => buildErrorText(e, options.cwd)).join('; ');
        const problems = outcome.errors.flatMap((e) =>
          e.dockerfile !== undefined ? [{ file: e.dockerfile, line: e.line ?? 1, message: e.message }] : [],
        );
        return { ok: false, tags: {}, error: why || 'the build failed', problems };
      }
      Object.assign(built, outcome.images);
    }
    let objects: ManifestObject[];
    try {
      objects = await readManifests(options.manifestFiles);
    } catch (error) {
      return { ok: false, tags: built, error: errorText(error) };
    }
    const rewritten = rewriteImages(objects, { ...tags, ...built }).objects;
    const result = await applyObjects(options.conn, rewritten, {
      onProgress: (m) => progress.progress(m),
      signal,
      timeoutMs: options.rolloutTimeoutMs ?? 120_000,
    });
    const out: RedeployResult = { ok: result.ready, tags: built };
    if (result.error !== undefined) out.error = result.error;
    return out;
  };
}

/** The objects of the files, or an error naming the file and document. */
export async function readManifests(files: readonly string[]): Promise<ManifestObject[]> {
  const objects: ManifestObject[] = [];
  for (const file of files) {
    const parsed = parseManifests(await readFile(file, 'utf8'));
    if (parsed.problems.length > 0) throw new Error(`${file}: ${parsed.problems.join('; ')}`);
    objects.push(...parsed.documents.map((d) => d.object));
  }
  return objects;
}
