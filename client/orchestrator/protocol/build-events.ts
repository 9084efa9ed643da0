/**
 * `kube-workbench build`: what it is asked (a BuildRequest, JSON on a file or
 * standard input) and what it says (`--events json`: one BuildEvent per line).
 * The extension and `kube-workbench run` build through it, so both sides read
 * these types; both are parsed as untrusted input, with the position of a fault.
 */

/** One image to build. Paths are absolute, or relative to the process's working directory. */
export interface BuildArtifact {
  /** The image's name without a tag (`web`, `registry.example/team/web`). */
  image: string;
  /** The build context folder. */
  context: string;
  /** The Dockerfile, relative to the context (default `Dockerfile`). */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  /** The stage to build (`docker build --target`). */
  target?: string;
}

export interface BuildRequest {
  artifacts: BuildArtifact[];
}

/** The tag prefix of content-hash tags: `web:kw-0123456789abcdef`. */
export const BUILD_TAG_PREFIX = 'kw-';

export type BuildEvent =
  /** The artifact's content hash is known: it is built as `tag` (a full reference, `web:kw-…`). */
  | { type: 'start'; image: string; tag: string }
  /** An image with that tag exists already: not rebuilt. */
  | { type: 'cached'; image: string; tag: string }
  /** A Dockerfile step began: `step` of `total`, its instruction, and its line in the Dockerfile (1-based) when known. */
  | { type: 'step'; image: string; step: number; total: number; instruction: string; line?: number }
  /** The engine reused its cache for the current step. */
  | { type: 'cache-hit'; image: string; step: number }
  /** A line of build output. */
  | { type: 'output'; image: string; text: string }
  /** Something skipped or ignored (a FIFO in the context, an unreadable file). */
  | { type: 'warning'; image: string; message: string }
  /** The build failed; `dockerfile` (absolute) and `line` (1-based) when the engine's error names a step or line. */
  | { type: 'error'; image: string; message: string; dockerfile?: string; line?: number }
  /** An artifact's image is ready. */
  | { type: 'built'; image: string; tag: string; seconds: number }
  /** The last event: `images` maps each image name to its content-hash reference. */
  | { type: 'result'; ok: boolean; images: Record<string, string> };

export class BuildRequestError extends Error {
  override name = 'BuildRequestError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Image names as Docker takes them (lower case path components, optional registry host and port). */
const IMAGE_NAME =
  /^(?:[a-zA-Z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isImageName(name: string): boolean {
  return name.length <= 255 && IMAGE_NAME.test(name);
}

function text(value: unknown, where: string, max = 4096): string {
  if (typeof value !== 'string' || value === '') throw new BuildRequestError(`${where}: must be a non-empty string`);
  if (value.length > max) throw new BuildRequestError(`${where}: longer than ${max} characters`);
  if (value.includes('\0')) throw new BuildRequestError(`${where}: contains a NUL character`);
  return value;
}

function artifactOf(value: unknown, where: string): BuildArtifact {
  if (!isRecord(value)) throw new BuildRequestError(`${where}: must be an object`);
  for (const key of Object.keys(value))
    if (!['image', 'context', 'dockerfile', 'buildArgs', 'target'].includes(key))
      throw new BuildRequestError(`${where}.${key}: unknown field`);
  const image = text(value.image, `${where}.image`, 255);
  if (!isImageName(image)) throw new BuildRequestError(`${where}.image: '${image}' is not an image name without a tag`);
  const out: BuildArtifact = { image, context: text(value.context, `${where}.context`) };
  if (value.dockerfile !== undefined) out.dockerfile = text(value.dockerfile, `${where}.dockerfile`);
  if (value.target !== undefined) out.target = text(value.target, `${where}.target`, 255);
  if (value.buildArgs !== undefined) {
    if (!isRecord(value.buildArgs)) throw new BuildRequestError(`${where}.buildArgs: must be an object`);
    const args: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(value.buildArgs)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,255}$/.test(k))
        throw new BuildRequestError(`${where}.buildArgs: '${k.slice(0, 80)}' is not a build argument name`);
      if (typeof v !== 'string') throw new BuildRequestError(`${where}.buildArgs.${k}: must be a string`);
      if (v.length > 65536) throw new BuildRequestError(`${where}.buildArgs.${k}: longer than 65536 characters`);
      args[k] = v;
    }
    out.buildArgs = { ...args };
  }
  return out;
}

/** Parses a BuildRequest from JSON text; throws BuildRequestError naming the field at fault. */
export function parseBuildRequest(json: string): BuildRequest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new BuildRequestError(`the request is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new BuildRequestError('the request must be a JSON object');
  if (!Array.isArray(value.artifacts)) throw new BuildRequestError('artifacts: must be an array');
  if (value.artifacts.length > 100) throw new BuildRequestError('artifacts: more than 100 artifacts');
  const artifacts = value.artifacts.map((a, i) => artifactOf(a, `artifacts[${i}]`));
  const seen = new Set<string>();
  for (const [i, a] of artifacts.entries()) {
    if (seen.has(a.image)) throw new BuildRequestError(`artifacts[${i}].image: '${a.image}' is built twice`);
    seen.add(a.image);
  }
  return { artifacts };
}

const EVENT_TYPES = new Set(['start', 'cached', 'step', 'cache-hit', 'output', 'warning', 'error', 'built', 'result']);

/** One line of `--events json` output, or undefined when it is not an event (a stray line). */
export function parseBuildEvent(line: string): BuildEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value) || typeof value.type !== 'string' || !EVENT_TYPES.has(value.type)) return undefined;
    if (value.type === 'result') {
      if (typeof value.ok !== 'boolean' || !isRecord(value.images)) return undefined;
      const images: Record<string, string> = {};
      for (const [k, v] of Object.entries(value.images)) if (typeof v === 'string') images[k] = v;
      return { type: 'result', ok: value.ok, images };
    }
    if (typeof value.image !== 'string') return undefined;
    return value as BuildEvent;
  } catch {
    return undefined;
  }
}
