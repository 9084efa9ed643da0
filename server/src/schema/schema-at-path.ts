import type { JsonSchema } from '../../kube-model/json-schema.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';

export interface SchemaAt {
  /** The resolved schema of the field at the path. */
  readonly schema: JsonSchema;
  /** The resolved schema of the object holding it (undefined at the root). */
  readonly parent: JsonSchema | undefined;
  /** Whether the holding object requires the field. */
  readonly required: boolean;
}

/**
 * Follows a path (`['spec', 'containers', 0, 'image']`) through a schema:
 * properties, list items and map values. Numbers step into list items; the
 * unions Kubernetes uses (int-or-string) are taken as they are.
 */
export function schemaAtPath(
  schemas: KubernetesSchemas,
  root: JsonSchema,
  path: readonly (string | number)[],
): SchemaAt | undefined {
  let current = schemas.resolver.resolve(root);
  let parent: JsonSchema | undefined;
  let required = false;
  for (const segment of path) {
    let next: JsonSchema | undefined;
    if (typeof segment === 'number') next = current.items;
    else if (current.properties && Object.prototype.hasOwnProperty.call(current.properties, segment)) {
      next = current.properties[segment];
    } else if (typeof current.additionalProperties === 'object') next = current.additionalProperties;
    if (!next) return undefined;
    if (typeof segment === 'string') {
      parent = current;
      required = current.required?.includes(segment) ?? false;
    }
    current = schemas.resolver.resolve(next);
  }
  return { schema: current, parent, required };
}

/** `Deployment.spec.template.spec.containers[].ports[].containerPort`: the path as the docs write it. */
export function schemaPathLabel(kind: string, path: readonly (string | number)[]): string {
  let out = kind;
  for (const segment of path) out += typeof segment === 'number' ? '[]' : `.${segment}`;
  return out;
}

/** A short type name for a schema: `string`, `integer`, `[]Container`, `map[string]string`, `int-or-string`, ... */
export function typeLabel(schemas: KubernetesSchemas, schema: JsonSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  if (schema.format === 'quantity') return 'quantity (e.g. 500m, 128Mi)';
  if (schema.$ref) return schema.$ref.replace(/^#\/definitions\/(V\d\w*?|Core|Events)?/, '') || 'object';
  const s = schemas.resolver.resolve(schema);
  const type = Array.isArray(s.type) ? s.type.join(' or ') : s.type;
  if (type === 'array' && s.items) return `[]${typeLabel(schemas, s.items)}`;
  if (type === 'object' && typeof s.additionalProperties === 'object')
    return `map[string]${typeLabel(schemas, s.additionalProperties)}`;
  if (s.format === 'date-time') return 'time (RFC 3339)';
  if (s.format === 'byte') return 'base64 bytes';
  return type ?? 'any';
}
