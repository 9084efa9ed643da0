/**
 * The generated JSON Schemas of the built-in kinds (`schemas/` at the repository
 * root, see docs/schemas.md), for any version `schemas/index.json` lists, each
 * read once. The language server validates with them and the orchestrator's
 * admission with the version its cluster serves: one loader, so the two agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { definitionsResolver } from './json-schema.js';
import type { JsonSchema, SchemaResolver } from './json-schema.js';

/** `schemas/index.json`, written by scripts/generate-schemas.mjs. */
interface SchemaIndex {
  default: string;
  versions: Record<string, { kubernetesVersion: string; file: string; kinds: Record<string, string> }>;
}

/** The schemas of one Kubernetes version. */
export interface KubernetesSchemas {
  readonly version: string;
  readonly kubernetesVersion: string;
  readonly resolver: SchemaResolver;
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** The schema of a kind, by `apiVersion` (`v1`, `apps/v1`) and `kind`. */
  schemaFor(apiVersion: string, kind: string): JsonSchema | undefined;
  /** Every apiVersion that serves a kind, e.g. Deployment -> ['apps/v1']. */
  apiVersionsOf(kind: string): string[];
  hasApiVersion(apiVersion: string): boolean;
  /** Every kind the schemas know. */
  kinds(): string[];
}

/** Finds `schemas/` by walking up from the running file: bundles and sources sit at different depths. */
export function findSchemasDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas', 'index.json');
    if (existsSync(candidate)) return join(dir, 'schemas');
    if (dirname(dir) === dir) throw new Error(`schemas/index.json not found above ${from}; run 'npm run build'`);
  }
}

const loaded = new Map<string, KubernetesSchemas>();
const indexes = new Map<string, SchemaIndex>();

function readIndex(schemasDir: string): SchemaIndex {
  let index = indexes.get(schemasDir);
  if (!index) {
    index = JSON.parse(readFileSync(join(schemasDir, 'index.json'), 'utf8')) as SchemaIndex;
    indexes.set(schemasDir, index);
  }
  return index;
}

/** The versions `schemas/` holds ("1.32" … "1.36"), oldest first, and the default one. */
export function schemaVersions(schemasDir: string = findSchemasDir()): { default: string; versions: string[] } {
  const index = readIndex(schemasDir);
  const minor = (v: string) => v.split('.').map(Number);
  const versions = Object.keys(index.versions).sort((a, b) => {
    const [aMajor = 0, aMinor = 0] = minor(a);
    const [bMajor = 0, bMinor = 0] = minor(b);
    return aMajor - bMajor || aMinor - bMinor;
  });
  return { default: index.default, versions };
}

/**
 * Why a Kubernetes version cannot be chosen, with what can: a minor between the bundled
 * ones is missing because no npm package carries its API models (the schemas are
 * generated offline from such packages), so the nearest bundled minors are named.
 */
export function unsupportedVersionMessage(version: string, versions: readonly string[]): string {
  const choose = `choose ${versions.join(', ')}`;
  const minorOf = (v: string): number | undefined => {
    const m = /^1\.(\d{1,3})$/.exec(v);
    return m ? Number(m[1]) : undefined;
  };
  const asked = minorOf(version);
  const minors = versions.map(minorOf).filter((m): m is number => m !== undefined);
  if (asked === undefined || minors.length === 0) return `unknown Kubernetes version '${version}'; ${choose}`;
  const below = Math.max(...minors.filter((m) => m < asked));
  const above = Math.min(...minors.filter((m) => m > asked));
  if (!Number.isFinite(below) || !Number.isFinite(above)) return `unknown Kubernetes version '${version}'; ${choose}`;
  return `Kubernetes ${version} is not bundled: no npm package carries its API models, so its schemas cannot be generated offline (the nearest bundled versions are 1.${below} and 1.${above}); ${choose}`;
}

/** Loads (once) the schemas of a version; `undefined` (or a version `schemas/` does not hold) picks the default. */
export function loadSchemas(version?: string, schemasDir: string = findSchemasDir()): KubernetesSchemas {
  const index = readIndex(schemasDir);
  const chosen = version !== undefined && index.versions[version] ? version : index.default;
  const key = `${schemasDir}#${chosen}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const entry = index.versions[chosen];
  if (!entry) throw new Error(`schemas/index.json has no version ${chosen}`);
  const file = JSON.parse(readFileSync(join(schemasDir, entry.file), 'utf8')) as {
    definitions: Record<string, JsonSchema>;
  };
  const definitions = file.definitions;
  const byKind = new Map<string, string[]>();
  const apiVersions = new Set<string>();
  for (const gvk of Object.keys(entry.kinds)) {
    const slash = gvk.lastIndexOf('/');
    const apiVersion = gvk.slice(0, slash);
    const kind = gvk.slice(slash + 1);
    apiVersions.add(apiVersion);
    byKind.set(kind, [...(byKind.get(kind) ?? []), apiVersion]);
  }
  const schemas: KubernetesSchemas = {
    version: chosen,
    kubernetesVersion: entry.kubernetesVersion,
    resolver: definitionsResolver(definitions),
    definitions,
    schemaFor(apiVersion, kind) {
      const name = entry.kinds[`${apiVersion}/${kind}`];
      return name === undefined ? undefined : definitions[name];
    },
    apiVersionsOf: (kind) => byKind.get(kind) ?? [],
    hasApiVersion: (apiVersion) => apiVersions.has(apiVersion),
    kinds: () => [...byKind.keys()],
  };
  loaded.set(key, schemas);
  return schemas;
}

/**
 * As loadSchemas, but `undefined` when there are no schemas to read (no
 * `schemas/` above this file, or unreadable files): for callers that then
 * skip schema checks rather than fail.
 */
export function loadSchemasIfPresent(version?: string, from: string = __dirname): KubernetesSchemas | undefined {
  try {
    return loadSchemas(version, findSchemasDir(from));
  } catch {
    return undefined;
  }
}
