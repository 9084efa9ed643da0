import { generatorData, optionsOf } from './generated-data';
import { kustomizeBase64 } from './generator';
import { setOwn } from '../patch/json-value';
import type { Kustomization } from './kustomization';
import { describeId, idOf, isObject, type JsonObject, type Resource } from './resource';
import type { FileUse, KustomizeDiagnostic, KustomizeHost, SourceSpan } from './index';

export interface GeneratorContext {
  host: KustomizeHost;
  diagnostics: KustomizeDiagnostic[];
  files: FileUse[];
}

/** `configMapGenerator` and `secretGenerator`: adds, merges into or replaces generated resources in `resources`. */
export function runGenerators(k: Kustomization, resources: Resource[], ctx: GeneratorContext): void {
  const global = optionsOf(k.value['generatorOptions']);
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    k.list(field).forEach((entry, i) => {
      const span = k.span([field, i]);
      if (!isObject(entry) || typeof entry['name'] !== 'string' || entry['name'] === '') {
        ctx.diagnostics.push({
          ...span,
          code: 'kustomize-generator-invalid',
          severity: 'error',
          message: `${field}: an entry needs a name`,
        });
        return;
      }
      const generated = generatorData(entry, ctx.host, k.dir);
      for (const e of generated.errors) {
        const list = entry[e.field];
        const at = Array.isArray(list) ? [field, i, e.field, e.index] : [field, i, e.field];
        const code = e.message.startsWith('missing file')
          ? 'kustomize-missing-file'
          : e.message.includes('set twice')
            ? 'kustomize-generator-clash'
            : 'kustomize-generator-invalid';
        ctx.diagnostics.push({
          ...k.span(at),
          code,
          severity: 'error',
          message: `${field} ${entry['name']}: ${e.message}`,
        });
      }
      for (const source of generated.sources) {
        ctx.files.push({ file: source, role: 'generator-source', by: k.file, entry: span });
      }
      const local = optionsOf(entry['options']);
      const labels = { ...global.labels, ...local.labels };
      const annotations = { ...global.annotations, ...local.annotations };
      const disableHash = local.disableNameSuffixHash ?? global.disableNameSuffixHash ?? false;
      const immutable = local.immutable ?? global.immutable ?? false;
      const metadata: JsonObject = { name: entry['name'] };
      if (typeof entry['namespace'] === 'string' && entry['namespace'] !== '')
        metadata['namespace'] = entry['namespace'];
      if (Object.keys(labels).length > 0) metadata['labels'] = labels;
      if (Object.keys(annotations).length > 0) metadata['annotations'] = annotations;
      const object: JsonObject = { apiVersion: 'v1', kind, metadata };
      if (kind === 'Secret') object['type'] = typeof entry['type'] === 'string' ? entry['type'] : 'Opaque';
      const data: JsonObject = {};
      for (const [key, value] of Object.entries(generated.data)) {
        setOwn(data, key, kind === 'Secret' ? kustomizeBase64(value) : value);
      }
      // kustomize always writes a Secret's data, even empty; a ConfigMap's only when it has keys.
      if (Object.keys(data).length > 0 || kind === 'Secret') object['data'] = data;
      if (immutable) object['immutable'] = true;
      const resource: Resource = {
        object,
        source: { file: k.file, node: null, span },
        previous: [],
        needsHash: !disableHash,
        generated: { kind },
        overrides: new Map(),
      };
      place(
        resource,
        typeof entry['behavior'] === 'string' ? entry['behavior'] : 'create',
        resources,
        ctx,
        span,
        field,
      );
    });
  }
}

function place(
  resource: Resource,
  behavior: string,
  resources: Resource[],
  ctx: GeneratorContext,
  span: SourceSpan,
  field: string,
): void {
  const id = idOf(resource.object);
  const at = resources.findIndex((r) => {
    const other = idOf(r.object);
    return (
      other.kind === id.kind && other.name === id.name && (id.namespace === '' || other.namespace === id.namespace)
    );
  });
  if (behavior === 'create' || behavior === '') {
    if (at !== -1) {
      ctx.diagnostics.push({
        ...span,
        code: 'kustomize-generator-clash',
        severity: 'error',
        message: `${field}: ${describeId(id)} already exists; use behavior: merge or replace`,
      });
      return;
    }
    resources.push(resource);
    return;
  }
  const existing = at === -1 ? undefined : resources[at];
  if (existing === undefined) {
    ctx.diagnostics.push({
      ...span,
      code: 'kustomize-generator-no-base',
      severity: 'error',
      message: `${field}: behavior ${behavior} needs an existing ${id.kind} '${id.name}' from a base`,
    });
    return;
  }
  if (behavior === 'replace') {
    const meta = resource.object['metadata'] as JsonObject;
    if (
      id.namespace === '' &&
      isObject(existing.object['metadata']) &&
      existing.object['metadata']['namespace'] !== undefined
    ) {
      meta['namespace'] = existing.object['metadata']['namespace'];
    }
    resources[at] = { ...resource, previous: existing.previous };
    return;
  }
  if (behavior !== 'merge') {
    ctx.diagnostics.push({
      ...span,
      code: 'kustomize-generator-invalid',
      severity: 'error',
      message: `unknown behavior '${behavior}'`,
    });
    return;
  }
  const merged = structuredClone(existing.object);
  const mMeta = isObject(merged['metadata']) ? merged['metadata'] : {};
  const nMeta = resource.object['metadata'] as JsonObject;
  for (const field of ['labels', 'annotations']) {
    const add = nMeta[field];
    if (isObject(add)) mMeta[field] = { ...(isObject(mMeta[field]) ? mMeta[field] : {}), ...add };
  }
  const data = resource.object['data'];
  if (isObject(data)) merged['data'] = { ...(isObject(merged['data']) ? merged['data'] : {}), ...data };
  if (resource.object['immutable'] === true) merged['immutable'] = true;
  resources[at] = { ...existing, object: merged, needsHash: existing.needsHash && resource.needsHash };
}
