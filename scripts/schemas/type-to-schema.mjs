// Turns the TypeScript type of a model attribute (as written in the attribute
// map: `string`, `Array<V1Container>`, `{ [key: string]: string; }`, `IntOrString`,
// ...) and its OpenAPI format into a JSON Schema.

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Kubernetes' int-or-string: a port number or name, a count or a percentage. */
function intOrString() {
  return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
}

/**
 * @param {string} type attribute map type
 * @param {string} format attribute map format ('' when none)
 * @param {(modelName: string) => boolean} isModel whether a name is a model of the same package
 */
export function typeToSchema(type, format, isModel) {
  const array = ARRAY.exec(type);
  if (array) return { type: 'array', items: typeToSchema(array[1], format, isModel) };
  const map = MAP.exec(type);
  if (map) return { type: 'object', additionalProperties: typeToSchema(map[1], format, isModel) };
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      return format === 'int32' || format === 'int64' ? { type: 'integer', format } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
    case 'V1MicroTime':
      // Time and MicroTime are RFC 3339 strings on the wire.
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return intOrString();
    case 'any':
      // RawExtension, JSON and similar free-form values.
      return {};
    default:
      if (isModel(type)) return { $ref: `#/definitions/${type}` };
      throw new Error(`no JSON Schema for attribute type '${type}'`);
  }
}
