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

/** Loads (once) the schemas of a version; `undefined` picks the default. */
export function loadSchemas(version?: string, schemasDir: string = findSchemasDir()): KubernetesSchemas {
  const index = JSON.parse(readFileSync(join(schemasDir, 'index.json'), 'utf8')) as SchemaIndex;
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
