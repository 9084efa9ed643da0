// Turns one model into a JSON Schema definition: a closed object (unknown
// fields are errors, as with `kubectl --validate=strict`) whose properties carry
// the model's types, descriptions and required markers.
import { typeToSchema } from './type-to-schema.mjs';

/**
 * @param {import('./read-models.mjs').Model} model
 * @param {(modelName: string) => boolean} isModel
 */
export function modelToDefinition(model, isModel) {
  const properties = {};
  const required = [];
  for (const property of model.properties) {
    const schema = typeToSchema(property.type, property.format, isModel);
    properties[property.jsonName] = property.description ? { description: property.description, ...schema } : schema;
    if (property.required) required.push(property.jsonName);
  }
  return {
    ...(model.description ? { description: model.description } : {}),
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}
