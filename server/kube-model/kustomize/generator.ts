/**
 * configMapGenerator and secretGenerator entries made into resources as kustomize makes them: the pairs of
 * generator-sources.ts (a repeated key is an error), a ConfigMap's `data` or a Secret's base64 `data`
 * (wrapped at 70 characters, each line ending in a newline, as kustomize writes it) with `type` (default
 * Opaque), the entry's `options` merged over the kustomization's `generatorOptions` (the entry's labels and
 * annotations win; `disableNameSuffixHash` and `immutable` from either), and the behaviour create, merge or
 * replace. The name's hash suffix is added later (hash.ts), once the resource is final.
 * Difference: file text comes through the host as a string, so a file that is not UTF-8 (kustomize puts it
 * in `binaryData`) is read as text.
 */
import type { KustomizeHost } from './index';
import { getOwn, isObject, setOwn, type JsonObject } from '../patch/json-value';
import { byCodePoint } from './hash';
import { loadPairs, SourceError, type Pair, type SourceProblem } from './generator-sources';

export type GeneratorBehavior = 'create' | 'merge' | 'replace';

export interface GeneratorOptions {
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratedResource {
  object: JsonObject;
  behavior: GeneratorBehavior;
  /** Whether kustomize appends the content hash to the name (no `disableNameSuffixHash`). */
  needsHash: boolean;
}

export interface GeneratorResult {
  /** Undefined when a problem stops the entry (never half a resource). */
  resource?: GeneratedResource;
  problems: SourceProblem[];
  /** Absolute paths of the files read (env and file sources). */
  files: string[];
}

/** Reads an options map (`options` or `generatorOptions`); fields of the wrong type are problems. */
export function readGeneratorOptions(value: unknown): { options: GeneratorOptions; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const options: GeneratorOptions = {};
  if (value === undefined || value === null) return { options, problems };
  if (!isObject(value)) return { options, problems: [{ message: 'options must be a map', field: 'options' }] };
  for (const field of ['labels', 'annotations'] as const) {
    const map = getOwn(value, field);
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      problems.push({ message: `options.${field} must be a map of strings`, field: 'options' });
      continue;
    }
    const out = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(map)) {
      if (typeof v === 'string') out[k] = v;
      else problems.push({ message: `options.${field}.${k} must be a string`, field: 'options' });
    }
    options[field] = out;
  }
  for (const field of ['disableNameSuffixHash', 'immutable'] as const) {
    const v = getOwn(value, field);
    if (v === undefined || v === null) continue;
    if (typeof v === 'boolean') options[field] = v;
    else problems.push({ message: `options.${field} must be true or false`, field: 'options' });
  }
  return { options, problems };
}

/** kustomize's merge of the kustomization's generatorOptions into an entry's options. */
export function mergeOptions(local: GeneratorOptions, global: GeneratorOptions | undefined): GeneratorOptions {
  if (!global) return local;
  const over = (l?: Record<string, string>, g?: Record<string, string>) =>
    l === undefined ? (g === undefined ? undefined : { ...g }) : { ...g, ...l };
  return {
    labels: over(local.labels, global.labels),
    annotations: over(local.annotations, global.annotations),
    disableNameSuffixHash: Boolean(local.disableNameSuffixHash || global.disableNameSuffixHash),
    immutable: Boolean(local.immutable || global.immutable),
  };
}

/** Base64 as kustomize writes a Secret value: lines of 70 characters, each followed by a newline when there are several. */
export function kustomizeBase64(value: string): string {
  const encoded = Buffer.from(value, 'utf8').toString('base64');
  if (encoded.length < 70) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += 70) out += `${encoded.slice(i, i + 70)}\n`;
  return out;
}

function sortedMap(pairs: Pair[], encode: (v: string) => string): JsonObject {
  const out: JsonObject = {};
  for (const p of [...pairs].sort((a, b) => byCodePoint(a.key, b.key))) setOwn(out, p.key, encode(p.value));
  return out;
}

function generate(
  kind: 'ConfigMap' | 'Secret',
  args: unknown,
  global: GeneratorOptions | undefined,
  host: KustomizeHost,
  dir: string,
): GeneratorResult {
  if (!isObject(args))
    return { problems: [{ message: `a ${kind} generator entry must be a map`, field: 'name' }], files: [] };
  const name = getOwn(args, 'name');
  const namespace = getOwn(args, 'namespace');
  const behaviorValue = getOwn(args, 'behavior');
  const problems: SourceProblem[] = [];
  if (typeof name !== 'string' || name === '')
    problems.push({ message: `a ${kind.toLowerCase()} generator needs a name`, field: 'name' });
  const behavior: GeneratorBehavior =
    behaviorValue === 'merge' || behaviorValue === 'replace' ? behaviorValue : 'create';
  if (behaviorValue !== undefined && behaviorValue !== null && behaviorValue !== 'create' && behavior === 'create')
    problems.push({
      message: `behavior must be create, merge or replace, not ${JSON.stringify(behaviorValue)}`,
      field: 'behavior',
    });
  const read = readGeneratorOptions(getOwn(args, 'options'));
  problems.push(...read.problems);
  let loaded: { pairs: Pair[]; files: string[] } = { pairs: [], files: [] };
  try {
    loaded = loadPairs(args, host, dir);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    problems.push(e.problem);
  }
  const seen = new Set<string>();
  for (const p of loaded.pairs) {
    if (seen.has(p.key))
      problems.push({
        message: `${kind.toLowerCase()} ${String(name)} illegally repeats the key \`${p.key}\``,
        field: 'literals',
      });
    seen.add(p.key);
  }
  if (problems.some((p) => p.field !== 'behavior')) return { problems, files: loaded.files };
  const options = mergeOptions(read.options, global);
  const metadata: JsonObject = { name };
  if (typeof namespace === 'string' && namespace !== '') metadata.namespace = namespace;
  if (options.labels && Object.keys(options.labels).length > 0) metadata.labels = sortedLabels(options.labels);
  if (options.annotations && Object.keys(options.annotations).length > 0)
    metadata.annotations = sortedLabels(options.annotations);
  const object: JsonObject = { apiVersion: 'v1', kind, metadata };
  if (kind === 'Secret') {
    const type = getOwn(args, 'type');
    object.type = typeof type === 'string' && type !== '' ? type : 'Opaque';
    object.data = sortedMap(loaded.pairs, kustomizeBase64);
  } else if (loaded.pairs.length > 0) {
    object.data = sortedMap(loaded.pairs, (v) => v);
  }
  if (options.immutable) object.immutable = true;
  return { resource: { object, behavior, needsHash: !options.disableNameSuffixHash }, problems, files: loaded.files };
}

function sortedLabels(map: Record<string, string>): JsonObject {
  return sortedMap(
    Object.entries(map).map(([key, value]) => ({ key, value })),
    (v) => v,
  );
}

/** A configMapGenerator entry (`args`, as parsed from the kustomization) with the kustomization's generatorOptions. */
export function generateConfigMap(
  args: unknown,
  options: GeneratorOptions | undefined,
  host: KustomizeHost,
  dir: string,
): GeneratorResult {
  return generate('ConfigMap', args, options, host, dir);
}

/** A secretGenerator entry (`args`, as parsed from the kustomization) with the kustomization's generatorOptions. */
export function generateSecret(
  args: unknown,
  options: GeneratorOptions | undefined,
  host: KustomizeHost,
  dir: string,
): GeneratorResult {
  return generate('Secret', args, options, host, dir);
}
