// Builds the JSON Schema definitions of one Kubernetes release from one
// @kubernetes/client-node package, and the index of its kinds.
import { applyFacts } from './apply-facts.mjs';
import { SUBRESOURCE_KINDS } from './kubernetes-facts.mjs';
import { modelToDefinition } from './model-to-definition.mjs';
import { readApiKinds } from './read-api-kinds.mjs';
import { readModels } from './read-models.mjs';

/**
 * @param {string} packageDir
 * @param {string} minor Kubernetes minor version, e.g. '1.34'
 * @param {Set<string>} usedFacts collects the fact keys that matched
 * @returns {Promise<{ definitions: Record<string, object>, kinds: Record<string, string>, warnings: string[] }>}
 *   kinds maps `<apiVersion>/<kind>` (`v1/Pod`, `apps/v1/Deployment`) to a definition name
 */
export async function buildDefinitions(packageDir, minor, usedFacts) {
  const models = await readModels(packageDir);
  const isModel = (name) => models.has(name);
  const definitions = {};
  for (const model of models.values()) definitions[model.name] = modelToDefinition(model, isModel);
  applyFacts(definitions, minor, usedFacts);

  const { kinds: gvks, conflicts } = readApiKinds(packageDir, models);
  for (const [modelName, gvk] of Object.entries(SUBRESOURCE_KINDS)) {
    if (models.has(modelName) && !gvks.has(modelName)) gvks.set(modelName, gvk);
  }
  const kinds = {};
  for (const [modelName, { group, version, kind }] of gvks) {
    definitions[modelName]['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    const key = `${group ? `${group}/` : ''}${version}/${kind}`;
    if (key in kinds) throw new Error(`${key} is served by both ${kinds[key]} and ${modelName}`);
    kinds[key] = modelName;
  }
  const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { definitions, kinds: sortedKinds, warnings: conflicts.map((c) => `served under two group-versions: ${c}`) };
}
