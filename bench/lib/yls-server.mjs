// How the benches start yaml-language-server (the anchor) and what they configure: no schema store, no CRD
// store, only the schema file given (writeYlsSchema or writeDeploymentSchema) for every YAML file.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The command line of yaml-language-server over stdio, with this Node. */
export function ylsCommand() {
  return [process.execPath, require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio'];
}

/** Its settings: validation against `schemaFile`; `features` also turns hover and completion on. */
export function ylsSettings(schemaFile, { features = true } = {}) {
  return {
    yaml: {
      validate: true,
      ...(features ? { hover: true, completion: true } : {}),
      schemaStore: { enable: false },
      kubernetesCRDStore: { enable: false },
      schemas: { [pathToFileURL(schemaFile).href]: '*.yaml' },
    },
  };
}
