/**
 * The step Run adds before applying: build the images that the objects name
 * and the workspace knows how to build, then point the objects at the built
 * references. A failed build returns its errors and no objects, so nothing is
 * applied. Shared by the editor's Run and `kube-workbench run`.
 */
import { relative } from 'node:path';
import type { ManifestObject } from '../run/manifest-documents.js';
import type { BuildEvent } from '../../orchestrator/protocol/build-events.js';
import { buildRequest, runBuild, type BuildOutcome, type BuildRunnerOptions } from './build-runner.js';
import { imagesUsed, rewriteImages, type ImageRewrite } from './image-rewrite.js';
import type { ArtifactConfig } from './skaffold-config.js';

export interface PreparedRun {
  /** The objects to apply (copies with built images put in); empty when the build failed. */
  objects: ManifestObject[];
  rewrites: ImageRewrite[];
  /** Undefined when no object names an image the workspace builds. */
  build?: BuildOutcome;
  /** Why nothing may be applied. */
  error?: string;
}

/** `Dockerfile:5: message` (the path relative to `cwd` when inside it). */
export function buildErrorText(event: Extract<BuildEvent, { type: 'error' }>, cwd = process.cwd()): string {
  if (event.dockerfile === undefined) return event.image ? `${event.image}: ${event.message}` : event.message;
  const rel = relative(cwd, event.dockerfile);
  const file = rel === '' || rel.startsWith('..') ? event.dockerfile : rel;
  return `${file}${event.line !== undefined ? `:${event.line}` : ''}: ${event.message}`;
}

export async function buildAndRewrite(
  objects: readonly ManifestObject[],
  artifacts: readonly ArtifactConfig[],
  options: BuildRunnerOptions & { cwd?: string },
): Promise<PreparedRun> {
  const used = new Set(
    imagesUsed(
      objects,
      artifacts.map((a) => a.image),
    ),
  );
  const wanted = artifacts.filter((a) => used.has(a.image));
  if (wanted.length === 0) return { objects: [...objects], rewrites: [] };
  const build = await runBuild(buildRequest(wanted), options);
  if (!build.ok) {
    const error = build.errors.map((e) => buildErrorText(e, options.cwd)).join('\n') || 'the build failed';
    return { objects: [], rewrites: [], build, error: `the build failed; nothing was applied:\n${error}` };
  }
  const { objects: rewritten, rewrites } = rewriteImages(objects, build.images);
  return { objects: rewritten, rewrites, build };
}
