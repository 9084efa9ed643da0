// Adds the hand-written Kubernetes facts (enums, defaults, quantities, list and
// patch semantics, descriptions, relaxed required markers) to generated definitions.
import { DEFAULTS, DESCRIPTIONS, ENUMS, LIST_TYPES, NOT_REQUIRED, QUANTITIES } from './kubernetes-facts.mjs';
import { typeNameOf } from './model-names.mjs';

const QUANTITY_KEYS = new Set(QUANTITIES);
const NOT_REQUIRED_KEYS = new Set(NOT_REQUIRED);

/** Every fact key, to find those that matched no model. */
export const FACT_KEYS = [
  ...Object.keys(ENUMS),
  ...Object.keys(DEFAULTS),
  ...QUANTITIES,
  ...Object.keys(LIST_TYPES),
  ...Object.keys(DESCRIPTIONS),
  ...NOT_REQUIRED,
];

/**
 * @param {Record<string, any>} definitions generated definitions, changed in place
 * @param {string} kubernetesMinor e.g. '1.34', to choose among version-dependent enums
 * @param {Set<string>} used collects the fact keys that matched a property
 */
export function applyFacts(definitions, kubernetesMinor, used) {
  for (const [modelName, definition] of Object.entries(definitions)) {
    const typeName = typeNameOf(modelName);
    const keysOf = (jsonName) => [`${modelName}.${jsonName}`, `${typeName}.${jsonName}`];
    const find = (has, jsonName) => {
      const key = keysOf(jsonName).find(has);
      if (key !== undefined) used.add(key);
      return key;
    };

    for (const [jsonName, property] of Object.entries(definition.properties)) {
      if (find((key) => QUANTITY_KEYS.has(key), jsonName)) makeQuantity(leafOf(property));
      const enumKey = find((key) => key in ENUMS, jsonName);
      if (enumKey) leafOf(property).enum = enumFor(ENUMS[enumKey], kubernetesMinor);
      const defaultKey = find((key) => key in DEFAULTS, jsonName);
      if (defaultKey) property.default = DEFAULTS[defaultKey];
      const listKey = find((key) => key in LIST_TYPES, jsonName);
      if (listKey) addListType(property, LIST_TYPES[listKey]);
      const descriptionKey = find((key) => key in DESCRIPTIONS, jsonName);
      if (descriptionKey) property.description = DESCRIPTIONS[descriptionKey];
    }

    if (definition.required) {
      definition.required = definition.required.filter((jsonName) => !find((key) => NOT_REQUIRED_KEYS.has(key), jsonName));
      if (definition.required.length === 0) delete definition.required;
    }
  }
}

/** The schema of a property's values: the items of an array, the values of a map. */
function leafOf(schema) {
  if (schema.type === 'array') return leafOf(schema.items);
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
    return leafOf(schema.additionalProperties);
  }
  return schema;
}

/** A quantity is written as a string (`500m`, `1Gi`) or a plain number; `format` lets the validator check its syntax. */
function makeQuantity(schema) {
  if (schema.type !== 'string') throw new Error(`a quantity must be a string in the models, got ${schema.type}`);
  schema.type = ['string', 'number'];
  schema.format = 'quantity';
}

/** A plain list of values, or the list of the latest Kubernetes minor at or before `minor`. */
function enumFor(entry, minor) {
  if (Array.isArray(entry)) return entry;
  const applicable = Object.keys(entry)
    .filter((since) => compareMinor(since, minor) <= 0)
    .sort(compareMinor);
  if (applicable.length === 0) throw new Error(`no enum for Kubernetes ${minor}`);
  return entry[applicable[applicable.length - 1]];
}

function compareMinor(a, b) {
  const [aMajor, aMinor] = a.split('.').map(Number);
  const [bMajor, bMinor] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function addListType(schema, { listType, mapKeys, patchStrategy, patchMergeKey }) {
  if (schema.type !== 'array') throw new Error('list facts apply to arrays only');
  schema['x-kubernetes-list-type'] = listType;
  if (mapKeys) schema['x-kubernetes-list-map-keys'] = mapKeys;
  if (patchStrategy) schema['x-kubernetes-patch-strategy'] = patchStrategy;
  if (patchMergeKey) schema['x-kubernetes-patch-merge-key'] = patchMergeKey;
}
