import type { Node } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { ReferencedKind, ResourceReference } from './indexed-resource.js';
import type { YamlReader } from './yaml-reader.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

interface Options {
  readonly keys?: readonly (Node | undefined)[];
  readonly checked?: boolean;
}

/**
 * Every ConfigMap, Secret, PVC and ServiceAccount a pod spec names: env
 * `valueFrom` key references, `envFrom` sources, volumes (also projected ones,
 * with their `items[].key`), image pull secrets and `serviceAccountName`.
 */
export function extractPodReferences(r: YamlReader, spec: Node): ResourceReference[] {
  const out: ResourceReference[] = [];
  const add = (
    via: string,
    targetKind: ReferencedKind,
    source: Node | undefined,
    nameKey: string,
    options: Options = {},
  ) => {
    const nameNode = r.get(source, nameKey);
    const name = r.string(nameNode);
    const nameRange = r.range(nameNode);
    if (name === undefined || name === '' || !nameRange) return;
    const keys: { key: string; range: Range }[] = [];
    for (const node of options.keys ?? []) {
      const key = r.string(node);
      const range = r.range(node);
      if (key !== undefined && range) keys.push({ key, range });
    }
    const optional = r.boolean(r.get(source, 'optional')) === true;
    out.push({ via, targetKind, name, nameRange, keys, optional, checked: options.checked ?? true });
  };

  for (const list of CONTAINER_LISTS) {
    for (const container of r.items(r.get(spec, list))) {
      for (const env of r.items(r.get(container, 'env'))) {
        const from = r.get(env, 'valueFrom');
        const cm = r.get(from, 'configMapKeyRef');
        if (cm) add('configMapKeyRef', 'ConfigMap', cm, 'name', { keys: [r.get(cm, 'key')] });
        const secret = r.get(from, 'secretKeyRef');
        if (secret) add('secretKeyRef', 'Secret', secret, 'name', { keys: [r.get(secret, 'key')] });
      }
      for (const source of r.items(r.get(container, 'envFrom'))) {
        const cm = r.get(source, 'configMapRef');
        if (cm) add('envFrom.configMapRef', 'ConfigMap', cm, 'name');
        const secret = r.get(source, 'secretRef');
        if (secret) add('envFrom.secretRef', 'Secret', secret, 'name');
      }
    }
  }

  for (const volume of r.items(r.get(spec, 'volumes'))) {
    volumeSources(r, volume, 'volumes', add);
    for (const source of r.items(r.at(volume, ['projected', 'sources']))) volumeSources(r, source, 'projected', add);
    const claim = r.get(volume, 'persistentVolumeClaim');
    if (claim) add('volumes.persistentVolumeClaim', 'PersistentVolumeClaim', claim, 'claimName');
  }

  // Every namespace has the `default` ServiceAccount: indexed (for references), not checked.
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const name = r.string(r.get(spec, field));
    if (name !== undefined) add(field, 'ServiceAccount', spec, field, { checked: name !== 'default' });
  }

  // Pull secrets are usually created in the cluster (`kubectl create secret docker-registry`): indexed, not checked.
  for (const secret of r.items(r.get(spec, 'imagePullSecrets')))
    add('imagePullSecrets', 'Secret', secret, 'name', { checked: false });
  return out;
}

type Add = (
  via: string,
  targetKind: ReferencedKind,
  source: Node | undefined,
  nameKey: string,
  options?: Options,
) => void;

/** `configMap`/`secret` sources of a volume or projected volume, with their `items[].key`. */
function volumeSources(r: YamlReader, holder: Node, prefix: string, add: Add): void {
  const sources = [
    { field: 'configMap', kind: 'ConfigMap', nameKey: 'name' },
    { field: 'secret', kind: 'Secret', nameKey: prefix === 'volumes' ? 'secretName' : 'name' },
  ] as const;
  for (const { field, kind, nameKey } of sources) {
    const source = r.get(holder, field);
    if (!source) continue;
    const keys = r.items(r.get(source, 'items')).map((item) => r.get(item, 'key'));
    add(`${prefix}.${field}`, kind, source, nameKey, { keys });
  }
}
