/**
 * An image for a container, by its pull policy: a local image is used as it
 * is (unless `Always`); otherwise the engine pulls, and when it cannot the
 * error is an ImagePullError with the engine's message (ErrImagePull).
 */
import type { DockerEngine } from './docker-client';
import { engineMessage, throwIfUnreachable } from './docker-errors';
import { ImagePullError, type ImageResult } from './runtime';

export async function ensureImage(engine: DockerEngine, image: string, pullPolicy: string): Promise<ImageResult> {
  const local = await engine.imageId(image);
  if (local && pullPolicy !== 'Always') return { imageRef: local, pulled: false };
  if (pullPolicy === 'Never') {
    throw new ImagePullError(`Container image "${image}" is not present with pull policy of Never`);
  }
  try {
    await engine.pull(image);
  } catch (error) {
    throwIfUnreachable(error);
    // Offline with the image already here: use it rather than fail.
    if (local) return { imageRef: local, pulled: false };
    throw new ImagePullError(engineMessage(error));
  }
  const pulled = await engine.imageId(image);
  if (!pulled) throw new ImagePullError(`pulled ${image} but the engine does not list it`);
  return { imageRef: pulled, pulled: true };
}

/**
 * Images found present, so a pod's start asks the engine nothing for an image it already used (one image
 * inspect less on every container start). Only a local image's presence is remembered, never for
 * `Always`; an image removed behind our back shows as "No such image" when the container is created,
 * which forgets it (see `isMissingImage`) and checks again.
 */
export class PresentImages {
  private readonly ids = new Map<string, string>();

  async ensure(engine: DockerEngine, image: string, pullPolicy: string): Promise<ImageResult> {
    const known = pullPolicy === 'Always' ? undefined : this.ids.get(image);
    if (known) return { imageRef: known, pulled: false };
    const result = await ensureImage(engine, image, pullPolicy);
    if (this.ids.size >= 1000) this.ids.clear();
    this.ids.set(image, result.imageRef);
    return result;
  }

  forget(image: string): boolean {
    return this.ids.delete(image);
  }

  clear(): void {
    this.ids.clear();
  }
}

/** Whether the engine refused to create a container because its image is not there. */
export function isMissingImage(error: unknown): boolean {
  return /no such image/i.test(error instanceof Error ? error.message : String(error));
}
