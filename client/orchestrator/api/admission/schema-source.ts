/**
 * The JSON Schemas of the built-in kinds (generated into `schemas/` at the
 * repository root), read lazily on first use. Missing schemas mean no schema
 * checks, never a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  $ref?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [key: string]: unknown;
}

export interface SchemaSource {
  /** The schema of a kind, e.g. (`apps`, `v1`, `Deployment`). */
  forKind(group: string, version: string, kind: string): JsonSchema | undefined;
  resolve(ref: string): JsonSchema | undefined;
}

interface Loaded {
  definitions: Record<string, JsonSchema>;
  kinds: Record<string, string>;
}

/** Looks for `schemas/index.json` above the running code (source tree or bundle). */
function findSchemaRoot(start: string): string | undefined {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'schemas', 'index.json'))) return join(dir, 'schemas');
    dir = join(dir, '..');
  }
  return undefined;
}

export function fileSchemaSource(start = __dirname): SchemaSource {
  let loaded: Loaded | null | undefined;
  const load = (): Loaded | null => {
    if (loaded !== undefined) return loaded;
    loaded = null;
    try {
      const root = findSchemaRoot(start);
      if (!root) return loaded;
      const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
        default: string;
        versions: Record<string, { file: string; kinds: Record<string, string> }>;
      };
      const version = index.versions[index.default];
      if (!version) return loaded;
      const file = JSON.parse(readFileSync(join(root, version.file), 'utf8')) as {
        definitions: Record<string, JsonSchema>;
      };
      loaded = { definitions: file.definitions, kinds: version.kinds };
    } catch {
      loaded = null;
    }
    return loaded;
  };
  return {
    forKind(group, version, kind) {
      const l = load();
      const name = l?.kinds[group === '' ? `${version}/${kind}` : `${group}/${version}/${kind}`];
      return name === undefined ? undefined : l?.definitions[name];
    },
    resolve(ref) {
      const name = ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : ref;
      return load()?.definitions[name];
    },
  };
}
