/**
 * The build-and-apply step of dev mode: builds some of a configuration's
 * images (through `kube-workbench build`), puts the content-hash references
 * into the manifests' objects (the files are never changed) and applies them
 * all through the apply engine, waiting for the rollout. DevSession calls it for
 * the first run, for a rebuild, and when a manifest changes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { errorText } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { applyObjects } from '../run/apply-engine.js';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';
import { buildRequest, runBuild } from './build-runner.js';
import type { DevArtifact, RedeployProgress, RedeployResult } from './dev-session.js';
import { rewriteImages } from './image-rewrite.js';
import type { ArtifactConfig } from './skaffold-config.js';
import { Glob } from './sync-glob.js';

export interface DeployerOptions {
  conn: ClusterConnection;
  artifacts: readonly ArtifactConfig[];
  /** Absolute manifest globs. */
  manifests: readonly string[];
  /** `scripts/kube-workbench.js`, which runs `build`. */
  cliScript: string;
  execPath?: string;
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
        signal,
        onEvent: (event) => {
          if (event.type === 'built') progress.built(event.image, event.tag, event.seconds, false);
          else if (event.type === 'cached') progress.built(event.image, event.tag, 0, true);
          else if (event.type === 'step')
            progress.progress(`  ${event.image} step ${event.step}/${event.total}: ${event.instruction}`);
        },
      });
      if (!outcome.ok) {
        const why = outcome.errors.map(
          (e) => (e.line !== undefined ? `${e.dockerfile ?? 'Dockerfile'}:${e.line}: ` : '') + e.message,
        );
        return { ok: false, tags: {}, error: why.join('; ') || 'the build failed' };
      }
      Object.assign(built, outcome.images);
    }
    let objects: ManifestObject[];
    try {
      objects = await readManifests(options.manifests);
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

/** The objects of every file the globs match (sorted), or an error naming the file and document. */
export async function readManifests(globs: readonly string[]): Promise<ManifestObject[]> {
  const objects: ManifestObject[] = [];
  for (const file of await expandGlobs(globs)) {
    const parsed = parseManifests(await readFile(file, 'utf8'));
    if (parsed.problems.length > 0) throw new Error(`${file}: ${parsed.problems.join('; ')}`);
    objects.push(...parsed.documents.map((d) => d.object));
  }
  return objects;
}

/** Files matching absolute globs: a glob without wildcards is its file; others are walked from their literal folder. */
export async function expandGlobs(globs: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of globs) {
    const parts = pattern.split(sep);
    const first = parts.findIndex((p) => /[*?[{]/.test(p));
    if (first < 0) {
      files.add(pattern);
      continue;
    }
    const base = parts.slice(0, first).join(sep) || sep;
    const glob = new Glob(parts.slice(first).join('/'));
    for (const file of await walk(base, 20_000))
      if (glob.matches(relative(base, file).split(sep).join('/'))) files.add(file);
  }
  return [...files].sort();
}

async function walk(dir: string, max: number): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < max) {
    const d = stack.pop()!;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') stack.push(join(d, e.name));
      else if (e.isFile()) out.push(join(d, e.name));
    }
  }
  return out;
}
