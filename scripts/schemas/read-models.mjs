// Loads every API model class of one @kubernetes/client-node package: the
// attribute map from its `.js` (JSON name, TypeScript type, OpenAPI format) and
// the descriptions and required markers from its `.d.ts`. Each model file is
// imported on its own (they are ES modules without imports), so packages whose
// entry point does not load on this Node version still work.
//
// The package folder also holds models left over from older Kubernetes
// releases (the code generator never deletes files); only the models that
// `models/all.js` exports belong to the release the package was built from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseModelDeclaration } from './parse-model-declaration.mjs';

/**
 * @typedef {{ jsonName: string, type: string, format: string, description?: string, required: boolean }} ModelProperty
 * @typedef {{ name: string, description?: string, properties: ModelProperty[] }} Model
 * @returns {Promise<Map<string, Model>>} models keyed by class name, sorted by name
 */
export async function readModels(packageDir) {
  const dir = join(packageDir, 'dist', 'gen', 'models');
  // ES modules (`from '../models/X.js'`) since 1.0.0, CommonJS (`require("../models/X")`) in its release candidates.
  const names = [
    ...readFileSync(join(dir, 'all.js'), 'utf8').matchAll(/(?:from '|require\(")\.\.\/models\/(\w+)(?:\.js')?/g),
  ].map((match) => match[1]);
  const models = await Promise.all(names.map((name) => readModel(dir, name)));
  return new Map(
    models
      .filter((model) => model !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((model) => [model.name, model]),
  );
}

async function readModel(dir, name) {
  const module = await import(pathToFileURL(join(dir, `${name}.js`)).href);
  const attributes = module[name]?.attributeTypeMap;
  if (!Array.isArray(attributes)) return undefined;
  const declaration = parseModelDeclaration(readFileSync(join(dir, `${name}.d.ts`), 'utf8'));
  const properties = attributes.map((attribute) => {
    const declared = declaration.properties.get(attribute.name);
    return {
      jsonName: attribute.baseName,
      type: attribute.type,
      format: attribute.format,
      description: declared?.description,
      required: declared?.required ?? false,
    };
  });
  return { name, description: declaration.description, properties };
}
