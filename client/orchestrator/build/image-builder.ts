/**
 * Builds the artifacts of a BuildRequest, one after another, on the Docker
 * engine: list the context (`.dockerignore` honoured), hash it, and build only
 * when no image carries that content-hash tag yet. Everything it does is told
 * as BuildEvents; the last one is the result. The first failure stops the
 * run: later artifacts are not built.
 */
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { BuildArtifact, BuildEvent, BuildRequest } from '../protocol/build-events';
import type { ImageBuildOptions } from '../kubelet/docker-engine-types';
import { engineMessage } from '../kubelet/docker-errors';
import { BuildProgress, type EngineBuildMessage } from './build-progress';
import { ContextError, listContext, type ContextLimits } from './context-files';
import { contextTar } from './context-tar';
import { contentHash, hashTag } from './content-hash';
import { dockerfileSteps } from './dockerfile-steps';

/** The engine calls a build makes (DockerClient has them). */
export interface BuildEngine {
  imageExists(ref: string): Promise<boolean>;
  buildImage(context: Readable, options: ImageBuildOptions, onMessage: (message: object) => void): Promise<void>;
}

export interface BuildOptions {
  /** Relative contexts resolve against it (default: the working directory). */
  cwd?: string;
  limits?: ContextLimits;
  now?: () => number;
}

/** Builds every artifact; resolves true when all images are there. */
export async function buildArtifacts(
  engine: BuildEngine,
  request: BuildRequest,
  emit: (event: BuildEvent) => void,
  options: BuildOptions = {},
): Promise<boolean> {
  const images: Record<string, string> = {};
  for (const artifact of request.artifacts) {
    const tag = await buildOne(engine, artifact, emit, options);
    if (tag === undefined) {
      emit({ type: 'result', ok: false, images });
      return false;
    }
    images[artifact.image] = tag;
  }
  emit({ type: 'result', ok: true, images });
  return true;
}

async function buildOne(
  engine: BuildEngine,
  artifact: BuildArtifact,
  emit: (event: BuildEvent) => void,
  options: BuildOptions,
): Promise<string | undefined> {
  const now = options.now ?? Date.now;
  const started = now();
  const { image } = artifact;
  let listing;
  let hash: string;
  let dockerfileText: string;
  try {
    listing = await listContext(resolve(options.cwd ?? '.', artifact.context), artifact.dockerfile, options.limits);
    for (const message of listing.warnings) emit({ type: 'warning', image, message });
    hash = await contentHash(listing, artifact);
    dockerfileText = await fs.readFile(listing.dockerfile, 'utf8');
  } catch (error) {
    const message = error instanceof ContextError ? error.message : engineMessage(error);
    emit({ type: 'error', image, message });
    return undefined;
  }
  const tag = hashTag(image, hash);
  try {
    if (await engine.imageExists(tag)) {
      emit({ type: 'cached', image, tag });
      return tag;
    }
  } catch (error) {
    emit({ type: 'error', image, message: engineMessage(error) });
    return undefined;
  }
  emit({ type: 'start', image, tag });
  const progress = new BuildProgress(image, listing.dockerfile, dockerfileSteps(dockerfileText), emit);
  try {
    await engine.buildImage(
      contextTar(listing.entries),
      {
        tag,
        dockerfile: listing.dockerfileRel,
        ...(artifact.buildArgs ? { buildArgs: artifact.buildArgs } : {}),
        ...(artifact.target !== undefined ? { target: artifact.target } : {}),
      },
      (message: EngineBuildMessage) => progress.message(message),
    );
  } catch (error) {
    progress.fail(engineMessage(error));
  }
  if (progress.failed) return undefined;
  emit({ type: 'built', image, tag, seconds: Math.round((now() - started) / 100) / 10 });
  return tag;
}
