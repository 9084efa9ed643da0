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
