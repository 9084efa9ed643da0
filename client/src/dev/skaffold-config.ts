/**
 * What a workspace says about building its images: a `skaffold.yaml`
 * (`apiVersion: skaffold/v2*|v3*|v4*`, every `kind: Config` document of it) and
 * the `kubeWorkbench.images` setting (images-setting.ts). Read: `build.artifacts[]` (`image`,
 * `context`, `docker.dockerfile`, `docker.buildArgs`, `docker.target`,
 * `sync.manual[]`, `sync.infer[]`), `manifests.rawYaml[]` and the older
 * `deploy.kubectl.manifests`. Everything else that changes what Skaffold would
 * do (profiles, other builders, helm/kustomize, port forwards, tag policies…)
 * is ignored with a warning at its position. Hostile input gets an error with
 * its line, never an exception.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isImageName } from '../../orchestrator/protocol/build-events.js';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml';

export interface SyncRule {
  /** A glob relative to the artifact's context. */
  src: string;
  /** A folder in the container. */
  dest: string;
  /** A prefix of `src` paths to drop before joining them to `dest`. */
  strip?: string;
}

export interface ArtifactConfig {
  image: string;
  /** Absolute. */
  context: string;
  /** Relative to the context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  sync: { manual: SyncRule[]; infer: string[] };
  /** Where it was declared: the file and 1-based line; absent for the setting. */
  source?: { file: string; line: number };
}

export interface ConfigMessage {
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface DevConfig {
  artifacts: ArtifactConfig[];
  /** Manifest globs, absolute. */
  manifests: string[];
  warnings: ConfigMessage[];
  errors: ConfigMessage[];
}

const API_VERSION = /^skaffold\/v[234](?:alpha\d+|beta\d+)?$/;

/** Reads one skaffold.yaml text (`file`: its absolute path, for positions and relative paths). */
export function readSkaffoldConfig(text: string, file: string): DevConfig {
  const config: DevConfig = { artifacts: [], manifests: [], warnings: [], errors: [] };
  const lines = new LineCounter();
  const at = (node: Node | null | undefined, message: string, list: ConfigMessage[]) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    list.push({ message, file, line: pos.line, column: pos.col });
  };
  const warn = (node: Node | null | undefined, message: string) => at(node, message, config.warnings);
  const fail = (node: Node | null | undefined, message: string) => at(node, message, config.errors);
  const base = dirname(file);
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  } catch (error) {
    fail(undefined, `skaffold.yaml does not parse: ${(error as Error).message}`);
    return config;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      config.errors.push({ message: e.message.split('\n')[0]!, file, line: pos.line, column: pos.col });
      continue;
    }
    const root = doc.contents;
    if (root === null || root === undefined) continue;
    if (!isMap(root)) {
      fail(root, 'a skaffold.yaml document must be a mapping');
      continue;
    }
    const apiVersion = str(root, 'apiVersion');
    if (apiVersion === undefined || !API_VERSION.test(apiVersion)) {
      fail(root.get('apiVersion', true) ?? root, `apiVersion '${apiVersion ?? ''}' is not skaffold/v2, v3 or v4`);
      continue;
    }
    if (str(root, 'kind') !== 'Config') {
      fail(root.get('kind', true) ?? root, "kind must be 'Config'");
      continue;
    }
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (['apiVersion', 'kind', 'metadata', 'build', 'manifests', 'deploy'].includes(key)) continue;
      warn(
        pair.key,
        `'${key}' is ignored (Kube Workbench reads build.artifacts, manifests.rawYaml and deploy.kubectl)`,
      );
    }
    const build = root.get('build', true);
    if (isMap(build))
      readBuild(build, { base, file, config, warn, fail, lineOf: (n) => lines.linePos(n.range?.[0] ?? 0).line });
    readManifests(root, base, config, warn, fail);
  }
  return config;
}

type Report = (node: Node | null | undefined, message: string) => void;

function str(map: YAMLMap, key: string): string | undefined {
  const v: unknown = map.get(key);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

interface BuildReader {
  base: string;
  file: string;
  config: DevConfig;
  warn: Report;
  fail: Report;
  lineOf: (node: Node) => number;
}

function readBuild(build: YAMLMap, { base, file, config, warn, fail, lineOf }: BuildReader): void {
  for (const pair of build.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'artifacts') warn(pair.key as Node, `build.${key} is ignored (images are tagged by content hash)`);
  }
  const artifacts = build.get('artifacts', true);
  if (artifacts === undefined || artifacts === null) return;
  if (!isSeq(artifacts)) return fail(artifacts, 'build.artifacts must be a list');
  for (const item of artifacts.items) {
    if (!isMap(item)) {
      fail(item as Node, 'an artifact must be a mapping');
      continue;
    }
    const image = str(item, 'image');
    if (image === undefined || !isImageName(image)) {
      fail(item.get('image', true) ?? item, `image '${image ?? ''}' is not an image name without a tag`);
      continue;
    }
    const other = ['jib', 'bazel', 'buildpacks', 'custom', 'kaniko', 'ko', 'cluster'].find((b) => item.has(b));
    if (other) {
      warn(item.get(other, true), `the ${other} builder is not supported: ${image} is not built`);
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!['image', 'context', 'docker', 'sync'].includes(key))
        warn(pair.key as Node, `artifacts[].${key} is ignored`);
    }
    const context = resolve(base, str(item, 'context') ?? '.');
    const docker = item.get('docker', true);
    const artifact: ArtifactConfig = {
      image,
      context,
      dockerfile: 'Dockerfile',
      buildArgs: {},
      sync: { manual: [], infer: [] },
      source: { file, line: lineOf(item) },
    };
    if (isMap(docker)) {
      artifact.dockerfile = str(docker, 'dockerfile') ?? 'Dockerfile';
      const target = str(docker, 'target');
      if (target !== undefined) artifact.target = target;
      const args = docker.get('buildArgs', true);
      if (isMap(args))
        for (const pair of args.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : '';
          const v: unknown = isScalar(pair.value) ? pair.value.value : undefined;
          if (k === '__proto__' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
            fail(pair.key as Node, `'${k}' is not a build argument name`);
          else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
            fail((pair.value ?? pair.key) as Node, `build argument ${k} must be a string`);
          else {
            if (String(v).includes('{{')) warn(pair.value as Node, `build argument ${k}: templates are not expanded`);
            Object.defineProperty(artifact.buildArgs, k, { value: String(v), enumerable: true, writable: true });
          }
        }
      for (const pair of docker.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!['dockerfile', 'target', 'buildArgs'].includes(k)) warn(pair.key as Node, `docker.${k} is ignored`);
      }
    }
    if (isAbsolute(artifact.dockerfile)) fail(docker, 'docker.dockerfile must be relative to the context');
    readSync(item.get('sync', true), artifact, warn, fail);
    config.artifacts.push(artifact);
  }
}

function readSync(sync: unknown, artifact: ArtifactConfig, warn: Report, fail: Report): void {
  if (sync === undefined || sync === null) return;
  if (!isMap(sync)) return fail(sync as Node, 'sync must be a mapping');
  const manual = sync.get('manual', true);
  if (isSeq(manual))
    for (const rule of manual.items) {
      if (!isMap(rule)) {
        fail(rule as Node, 'a sync rule must be a mapping');
        continue;
      }
      const src = str(rule, 'src');
      const dest = str(rule, 'dest');
      if (!src || !dest) {
        fail(rule, 'a sync rule needs src and dest');
        continue;
      }
      const strip = str(rule, 'strip');
      artifact.sync.manual.push(strip !== undefined ? { src, dest, strip } : { src, dest });
    }
  const infer = sync.get('infer', true);
  if (isSeq(infer))
    for (const glob of infer.items) {
      const v: unknown = isScalar(glob) ? glob.value : undefined;
      if (typeof v === 'string') artifact.sync.infer.push(v);
      else fail(glob as Node, 'sync.infer takes globs (strings)');
    }
  if (sync.has('auto')) warn(sync.get('auto', true), 'sync.auto is ignored (it needs Jib or Buildpacks)');
}

function readManifests(root: YAMLMap, base: string, config: DevConfig, warn: Report, fail: Report): void {
  const globs = (node: unknown, where: string) => {
    if (node === undefined || node === null) return;
    if (!isSeq(node)) return fail(node as Node, `${where} must be a list of globs`);
    for (const item of node.items) {
      const v: unknown = isScalar(item) ? item.value : undefined;
      if (typeof v === 'string' && v !== '') config.manifests.push(resolve(base, v));
      else fail(item as Node, `${where} takes globs (strings)`);
    }
  };
  const manifests = root.get('manifests', true);
  if (isMap(manifests)) {
    globs(manifests.get('rawYaml', true), 'manifests.rawYaml');
    for (const pair of manifests.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (k !== 'rawYaml') warn(pair.key as Node, `manifests.${k} is ignored (only rawYaml is read)`);
    }
  }
  const deploy = root.get('deploy', true);
  if (isMap(deploy))
    for (const pair of deploy.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (k === 'kubectl' && isMap(pair.value)) globs(pair.value.get('manifests', true), 'deploy.kubectl.manifests');
      else if (k !== 'kubectl')
        warn(pair.key as Node, `deploy.${k} is ignored (manifests are applied as kubectl would)`);
    }
}

/** Kept here too: callers read the setting together with the skaffold.yaml. */
export { mergeImagesSetting, type ImageSetting } from './images-setting.js';
