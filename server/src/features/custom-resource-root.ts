import type { JsonSchema } from '../../kube-model/json-schema.js';

/** A CRD's schema as the API server applies it: apiVersion, kind and metadata are implicit. */
export function customResourceRoot(schema: JsonSchema): JsonSchema {
  return {
    ...schema,
    type: 'object',
    properties: {
      ...schema.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/definitions/V1ObjectMeta' },
    },
  };
}
