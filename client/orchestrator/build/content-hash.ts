/**
 * The content hash that names a build: SHA-256 over every context entry the
 * build sends (path, kind, permission bits, the bytes of files, the target of
 * links), the Dockerfile's path, the build arguments (sorted) and the target.
 * Modification times are left out, so touching a file does not rebuild; the
 * tag is `NAME:kw-` and the first 16 hex digits.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BUILD_TAG_PREFIX, type BuildArtifact } from '../protocol/build-events';
import type { ContextListing } from './context-files';

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

export async function contentHash(listing: ContextListing, artifact: BuildArtifact): Promise<string> {
  const hash = createHash('sha256');
  const field = (value: string) => hash.update(`${Buffer.byteLength(value)}:${value}`);
  field('kube-workbench build 1');
  field(listing.dockerfileRel);
  for (const [k, v] of Object.entries(artifact.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    field(k);
    field(v);
  }
  field(artifact.target ?? '');
  for (const entry of listing.entries) {
    field(entry.path);
    field(`${entry.type} ${entry.mode.toString(8)}`);
    if (entry.type === 'file') field(await fileDigest(entry.abs));
    if (entry.type === 'symlink') field(entry.linkTarget ?? '');
  }
  return hash.digest('hex').slice(0, 16);
}

/** `web:kw-0123456789abcdef`. */
export function hashTag(image: string, hash: string): string {
  return `${image}:${BUILD_TAG_PREFIX}${hash}`;
}
