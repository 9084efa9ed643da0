import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionsResolver } from '../../kube-model/json-schema.js';
import type { JsonSchema, SchemaResolver } from '../../kube-model/json-schema.js';
import { findSchemasDir } from '../../kube-model/schema-loader.js';

/** The schema of kustomization files (`schemas/kustomization.json`, written by hand from kustomize's fields). */
export interface KustomizationSchema {
  readonly root: JsonSchema;
  readonly resolver: SchemaResolver;
}

let loaded: KustomizationSchema | undefined;

export function kustomizationSchema(): KustomizationSchema {
  if (!loaded) {
    const file = JSON.parse(readFileSync(join(findSchemasDir(), 'kustomization.json'), 'utf8')) as {
      definitions: Record<string, JsonSchema>;
    };
    loaded = { root: { $ref: '#/definitions/Kustomization' }, resolver: definitionsResolver(file.definitions) };
  }
  return loaded;
}

/** The schema at a path below the kustomization's root (list items and map values followed), or undefined. */
export function kustomizationSchemaAt(path: readonly (string | number)[]): JsonSchema | undefined {
  const { root, resolver } = kustomizationSchema();
  let current: JsonSchema | undefined = resolver.resolve(root);
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') current = current.items ? resolver.resolve(current.items) : undefined;
    else {
      const property: JsonSchema | undefined = Object.prototype.hasOwnProperty.call(current.properties ?? {}, segment)
        ? current.properties?.[segment]
        : typeof current.additionalProperties === 'object'
          ? current.additionalProperties
          : undefined;
      current = property
        ? { ...resolver.resolve(property), ...(property.description ? { description: property.description } : {}) }
        : undefined;
    }
  }
  return current;
}
