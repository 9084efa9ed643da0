/**
 * Mutated Kubernetes API requests for the API fuzz test: bodies from real
 * manifests with values replaced by wrong types, fractions, huge numbers,
 * deep nesting and prototype keys; names and namespaces with encoded dots,
 * slashes and unicode; every verb, the three patch types and apply, odd
 * query parameters. Deterministic for a seed.
 */
import { seeded, type Random } from '../../support/seeded-random';
import type { RawRequest } from './raw-api';

export { seeded, type Random };

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Where a kind lives in the API (from discovery). */
export interface Resource {
  kind: string;
  /** `/api/v1` or `/apis/GROUP/VERSION`. */
  base: string;
  plural: string;
  namespaced: boolean;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A request and what it is about, for the acknowledged-object ledger. */
export interface FuzzRequest extends RawRequest {
  resource: Resource;
  namespace: string;
  name: string;
  /** Whether the path is the object's own, unmutated (so a 2xx answer is about that object). */
  plainPath: boolean;
}

const ODD_VALUES: readonly (() => string)[] = [
  () => '0.5',
  () => '1.5',
  () => '-1',
  () => '1e12',
  () => '2147483648',
  () => '9007199254740993',
  () => '1e400',
  () => '"3"',
  () => '""',
  () => 'true',
  () => 'null',
  () => '[]',
  () => '{}',
  () => '[1,"a",null]',
  () => '"\\u0000"',
  () => '"\\ud800"',
  () => `"${'x'.repeat(70_000)}"`,
  () => '{"__proto__":{"name":"p","namespace":"default"}}',
  () => '{"constructor":{"prototype":{"polluted":true}}}',
  () => '{"prototype":1}',
];

/** JSON `depth` levels deep: arrays or objects. */
function deep(depth: number, random: Random): string {
  return random() < 0.5 ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Every path to a value in a JSON object, as keys. */
function valuePaths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value !== null && typeof value === 'object') {
    const entries: [string | number, Json][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [k, v] of entries) {
      out.push([...prefix, k]);
      valuePaths(v, [...prefix, k], out);
    }
  }
  return out;
}

const MARK = '"\u0001kw-fuzz-mark\u0001"';

/** The body with one value (or a new key) replaced by raw JSON text, serialized. */
export function mutateBody(object: { [key: string]: Json }, random: Random): string {
  const copy = JSON.parse(JSON.stringify(object)) as { [key: string]: Json };
  const paths = valuePaths(copy);
  const roll = random();
  const raw = roll < 0.08 ? deep(pick(random, [50, 600, 3000, 6000]), random) : pick(random, ODD_VALUES)();
  if (roll > 0.9 || paths.length === 0) {
    // A prototype key next to the real fields: in metadata, or at the top.
    const where = random() < 0.6 && copy.metadata && typeof copy.metadata === 'object' ? copy.metadata : copy;
    (where as { [key: string]: Json })[pick(random, ['__proto__', 'constructor', 'prototype'])] = MARK;
  } else {
    const path = pick(random, paths);
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
    (parent as Record<string | number, Json>)[path[path.length - 1] as string | number] = MARK;
  }
  return JSON.stringify(copy).replace(MARK, raw);
}

const ODD_NAMES = [
  '%2e%2e',
  '%2E',
  '..',
  '%2f',
  'a%2Fb',
  '%252e%252e',
  'caf%C3%A9',
  'é',
  '%F0%9F%98%80',
  '%00',
  '%ZZ',
  'a'.repeat(300),
  'UPPER',
  '-lead',
  '%20',
];

const ODD_QUERIES = [
  'labelSelector=a%3D%3Db%3D%3Dc',
  'labelSelector=a%3Db%2C',
  'labelSelector=a%20in%20()',
  'labelSelector=%21%21',
  'fieldSelector=metadata.name%3D%3D%3D',
  'fieldSelector=spec.nope%3Dx',
  'limit=abc',
  'limit=-1',
  'limit=1e12',
  'continue=garbage',
  'continue=%00',
  'resourceVersion=abc',
  'resourceVersion=-5&resourceVersionMatch=Exact',
  'timeoutSeconds=abc',
  'watch=1&timeoutSeconds=1',
  'watch=true&resourceVersion=0&timeoutSeconds=1&allowWatchBookmarks=true',
  'pretty=%ZZ',
  'fieldManager=%00',
  'dryRun=All',
  'dryRun=bogus',
  'propagationPolicy=Bogus',
  'gracePeriodSeconds=1.5',
];

const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
] as const;

function jsonPatch(random: Random, body: string): string {
  const op = pick(random, ['add', 'replace', 'remove', 'move', 'copy', 'test', 'bogus']);
  const path = pick(random, [
    '/spec/replicas',
    '/metadata/__proto__',
    '/metadata/labels/a~1b',
    '/metadata/name',
    '/data/x',
    '/spec/template/spec/containers/-',
    '/spec/template/spec/containers/99',
    '',
    'no-slash',
    '/~2',
  ]);
  const value = pick(random, ODD_VALUES)();
  return `[{"op":"${op}","path":"${path}","from":"/metadata","value":${random() < 0.3 ? body : value}}]`;
}

/** One mutated request against `resource`, about the object `name` in `namespace`. */
export function fuzzRequest(
  random: Random,
  resource: Resource,
  manifest: { [key: string]: Json },
  namespace: string,
  name: string,
): FuzzRequest {
  const oddName = random() < 0.15;
  const oddNamespace = resource.namespaced && random() < 0.08;
  const ns = oddNamespace ? pick(random, ODD_NAMES) : namespace;
  const objectName = oddName ? pick(random, ODD_NAMES) : name;
  const collection = `${resource.base}${resource.namespaced ? `/namespaces/${ns}` : ''}/${resource.plural}`;
  const item = `${collection}/${objectName}`;
  const plainPath = !oddName && !oddNamespace;
  const body: { [key: string]: Json } = JSON.parse(JSON.stringify(manifest)) as { [key: string]: Json };
  const metadata = (body.metadata && typeof body.metadata === 'object' ? body.metadata : {}) as {
    [key: string]: Json;
  };
  body.metadata = { ...metadata, name };
  if (resource.namespaced) body.metadata.namespace = namespace;
  const text = random() < 0.75 ? mutateBody(body, random) : JSON.stringify(body);
  const query = random() < 0.3 ? `?${pick(random, ODD_QUERIES)}` : '';
  const base = { resource, namespace, name, plainPath };
  const verb = random();
  // A create names its object in the body: only the namespace in its path can be odd.
  if (verb < 0.3)
    return { ...base, plainPath: !oddNamespace, method: 'POST', path: `${collection}${query}`, body: text };
  if (verb < 0.45) return { ...base, method: 'PUT', path: `${item}${query}`, body: text };
  if (verb < 0.7) {
    const contentType = pick(random, PATCH_TYPES);
    const patch =
      contentType === 'application/json-patch+json'
        ? jsonPatch(random, text)
        : contentType === 'application/apply-patch+yaml'
          ? text // JSON is YAML
          : text;
    const apply = contentType === 'application/apply-patch+yaml' ? '?fieldManager=fuzz&force=true' : query;
    return { ...base, method: 'PATCH', path: `${item}${apply}`, body: patch, contentType };
  }
  if (verb < 0.8) return { ...base, method: 'DELETE', path: `${item}${query}` };
  if (verb < 0.9) return { ...base, method: 'GET', path: `${collection}?${pick(random, ODD_QUERIES)}` };
  return { ...base, method: 'GET', path: `${item}${query}` };
}
