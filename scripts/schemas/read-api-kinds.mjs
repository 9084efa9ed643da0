// Finds the group, version and kind of every model that is a REST resource,
// from the API classes of the same package (AppsV1Api, CoreV1Api, ...). Each
// operation there builds its request path (`localVarPath = '/apis/apps/v1/
// namespaces/{namespace}/deployments'`) and names the model its response
// deserializes to (`"V1Deployment"`, `"V1DeploymentList"`). The path of a
// resource (not of a subresource such as `/scale` or `/status`) names the group
// and version its model is served as. Only the API classes that the package's
// `dist/gen/index.js` exports are read: the folder also keeps classes of API
// versions that older Kubernetes releases served.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeNameOf } from './model-names.mjs';

// Operations whose response is the resource (or its list) itself; `delete*`
// may answer with a Status and `connect*` with plain text.
const RESOURCE_OPERATION = /^(list|read|create|replace|patch)[A-Z]/;
const CORE_PATH = /^\/api\/(v1)\/(?:namespaces\/\{namespace\}\/)?[a-z0-9]+(?:\/\{name\})?$/;
const GROUP_PATH = /^\/apis\/([a-z0-9.-]+)\/(v[a-z0-9]+)\/(?:namespaces\/\{namespace\}\/)?[a-z0-9]+(?:\/\{name\})?$/;

/**
 * @param {string} packageDir
 * @param {Map<string, import('./read-models.mjs').Model>} models
 * @returns {{ kinds: Map<string, { group: string, version: string, kind: string }>, conflicts: string[] }}
 *   kinds keyed by model name; conflicts lists models served under two group-versions
 */
export function readApiKinds(packageDir, models) {
  const dir = join(packageDir, 'dist', 'gen');
  const apiClasses = new Set(
    // `export { ObjectXApi as XApi }` (ES modules) or `exports.XApi = ...` (CommonJS, 1.0.0 release candidates).
    [...readFileSync(join(dir, 'index.js'), 'utf8').matchAll(/(?: as |exports\.)(\w+Api)\b/g)].map((match) => match[1]),
  );
  const kinds = new Map();
  const conflicts = [];
  for (const apiClass of apiClasses) {
    const source = readFileSync(join(dir, 'apis', `${apiClass}.js`), 'utf8');
    for (const { path, modelName } of resourceOperations(source)) {
      const groupVersion = groupVersionOf(path);
      const model = models.get(modelName);
      if (!groupVersion || !model || !hasTypeMeta(model)) continue;
      const gvk = { ...groupVersion, kind: typeNameOf(modelName) };
      const known = kinds.get(modelName);
      if (!known) kinds.set(modelName, gvk);
      else if (known.group !== gvk.group || known.version !== gvk.version) conflicts.push(`${modelName}: ${path}`);
    }
  }
  return { kinds, conflicts };
}

/** Pairs each resource operation's request path with the model its response holds. */
function resourceOperations(source) {
  const paths = new Map();
  const responses = new Map();
  for (const chunk of source.split(/\n {4}async /).slice(1)) {
    const name = /^(\w+)\(/.exec(chunk)?.[1];
    if (!name) continue;
    const responseOf = /^(\w+)WithHttpInfo$/.exec(name)?.[1];
    if (responseOf) {
      const modelName = /ObjectSerializer\.deserialize\([^;]*?, "(\w+)", ""\)/.exec(chunk)?.[1];
      if (modelName) responses.set(responseOf, modelName);
    } else {
      const path = /localVarPath = '([^']+)'/.exec(chunk)?.[1];
      if (path) paths.set(name, path);
    }
  }
  return [...paths]
    .filter(([name]) => RESOURCE_OPERATION.test(name) && responses.has(name))
    .map(([name, path]) => ({ path, modelName: responses.get(name) }));
}

function groupVersionOf(path) {
  const core = CORE_PATH.exec(path);
  if (core) return { group: '', version: core[1] };
  const named = GROUP_PATH.exec(path);
  return named ? { group: named[1], version: named[2] } : undefined;
}

function hasTypeMeta(model) {
  const names = new Set(model.properties.map((p) => p.jsonName));
  return names.has('apiVersion') && names.has('kind');
}
