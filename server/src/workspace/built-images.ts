/**
 * The images the workspace builds itself: every `build.artifacts[].image` of a
 * `skaffold.yaml` in the workspace, and the names of the `kubeWorkbench.images`
 * setting. Run builds them and points the manifests at a content-hash tag, so
 * such an image written without a tag is not the "unpinned image" the image-tag
 * rule warns about.
 */
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { imageRepository } from '../../kube-model/image-reference.js';
import { asPieces } from '../document/text-pieces.js';
import type { TextPieces } from '../document/text-pieces.js';

export const SKAFFOLD_FILE = /(?:^|[/\\])skaffold\.ya?ml$/i;
/** Larger skaffold files are not read (they are a few lines in practice). */
const MAX_SKAFFOLD_LENGTH = 1024 * 1024;

/** The artifact images a skaffold.yaml names (every document, as Skaffold reads several configs). */
export function skaffoldImages(text: string): string[] {
  if (text.length > MAX_SKAFFOLD_LENGTH) return [];
  const out: string[] = [];
  try {
    for (const doc of parseAllDocuments(text)) {
      if (!isMap(doc.contents)) continue;
      const build = doc.contents.get('build');
      const artifacts = isMap(build) ? build.get('artifacts') : undefined;
      if (!isSeq(artifacts)) continue;
      for (const artifact of artifacts.items) {
        const image = isMap(artifact) ? artifact.get('image', true) : undefined;
        if (isScalar(image) && typeof image.value === 'string' && image.value !== '')
          out.push(imageRepository(image.value));
      }
    }
  } catch {
    // Broken YAML names no images; the file's own errors are not ours to report.
  }
  return out;
}

export class BuiltImages {
  private readonly byFile = new Map<string, readonly string[]>();
  private fromSetting: readonly string[] = [];
  private names = new Set<string>();

  /** Learns (or forgets, with undefined) a file's images; true when the set of built images changed. */
  /** (An open document's pieces: the whole text built only for a skaffold file.) */
  update(uri: string, text: string | TextPieces | undefined): boolean {
    if (!SKAFFOLD_FILE.test(uri)) return false;
    if (text === undefined) this.byFile.delete(uri);
    else this.byFile.set(uri, skaffoldImages(asPieces(text).text()));
    return this.recompute();
  }

  /** The image names of the `kubeWorkbench.images` setting. */
  setSetting(names: readonly string[]): boolean {
    this.fromSetting = names.map(imageRepository);
    return this.recompute();
  }

  /** Whether the workspace builds the image a reference names (any tag). */
  has(ref: string): boolean {
    return this.names.size > 0 && this.names.has(imageRepository(ref));
  }

  private recompute(): boolean {
    const next = new Set([...this.fromSetting, ...[...this.byFile.values()].flat()]);
    const changed = next.size !== this.names.size || [...next].some((n) => !this.names.has(n));
    this.names = next;
    return changed;
  }
}
