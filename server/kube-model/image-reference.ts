/**
 * Image references as Docker and Kubernetes read them, shared by the editor (which
 * images the workspace builds) and the client's build step (which references to
 * rewrite).
 */

/** The repository part of an image reference (tag and digest dropped, Docker Hub's defaults removed). */
export function imageRepository(ref: string): string {
  let name = ref;
  const at = name.indexOf('@');
  if (at !== -1) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/'])
    if (name.startsWith(prefix) && name.length > prefix.length) {
      name = name.slice(prefix.length);
      break;
    }
  return name;
}
