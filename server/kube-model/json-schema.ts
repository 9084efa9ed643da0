/** The subset of JSON Schema (draft-07 / OpenAPI v3 structural) that Kubernetes schemas use. */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  definitions?: Record<string, JsonSchema>;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** Resolves `$ref`s of one schema document. */
export interface SchemaResolver {
  resolve(schema: JsonSchema): JsonSchema;
}

/** A resolver over a `definitions` table, following chains of `$ref`s. */
export function definitionsResolver(definitions: Readonly<Record<string, JsonSchema>>): SchemaResolver {
  return {
    resolve(schema) {
      let current = schema;
      for (let depth = 0; current.$ref !== undefined && depth < 32; depth++) {
        const name = current.$ref.replace(/^#\/definitions\//, '');
        const target = definitions[name];
        if (!target) return {};
        current = target;
      }
      return current;
    },
  };
}
