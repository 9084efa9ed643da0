import { setOwn } from '../patch/json-value';
import * as path from 'node:path';
import { addNameAffixes } from './name-affix';
import { nameSuffixHash } from './engines';
import { setImages, type ImageEntry } from './images';
import { Kustomization, PLUGIN_FIELDS, UNSUPPORTED_FIELDS } from './kustomization';
import { findKustomizationFile } from './kustomization-file';
import { COMMON_ANNOTATION_SPECS, COMMON_LABEL_SPECS, TEMPLATE_LABEL_SPECS } from './label-field-specs';
import { legacyOrder } from './legacy-order';
import { addToMaps } from './map-fields';
import { fixNameReferences } from './name-references';
import { setNamespace } from './namespace';
import { setReplicas, type ReplicaEntry } from './replicas';
import { describeId, fromFile, idOf, isObject, metadataOf, originOf, sameId, type Resource } from './resource';
import { runGenerators } from './run-generators';
import { runPatches, runPatchesJson6902, runPatchesStrategicMerge } from './run-patches';
import type { Node } from 'yaml';
import { nodeAlong, parseAll, parseOne } from './yaml-spans';
import type { FieldSpec } from './field-specs';
import type {
  FileUse,
  KustomizeDiagnostic,
  KustomizeHost,
  KustomizeResult,
  RenderedResource,
  SourceSpan,
} from './index';

interface Context {
  host: KustomizeHost;
  diagnostics: KustomizeDiagnostic[];
  files: FileUse[];
  /** Directories being rendered, outermost first (for cycles). */
  stack: string[];
}

/** Where a kustomization was named from: the entry in its parent. */
interface Via {
  by: string;
  entry: SourceSpan;
}

const isRemote = (entry: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
  /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(entry) ||
  /\?ref=|\.git(\/\/|$)/.test(entry);

/** Renders the kustomization in `dir` (an absolute path). Never throws for bad input: errors are diagnostics. */
export function renderKustomization(dir: string, host: KustomizeHost): KustomizeResult {
  const ctx: Context = { host, diagnostics: [], files: [], stack: [] };
  const resources: Resource[] = [];
  accumulate(path.resolve(dir), ctx, undefined, 'kustomization', resources);
  for (const resource of resources) {
    if (!resource.needsHash) continue;
    const id = idOf(resource.object);
    const meta = metadataOf(resource.object);
    resource.previous.push(id);
    meta['name'] = `${id.name}-${nameSuffixHash(resource.object)}`;
    resource.object['metadata'] = meta;
  }
  fixNameReferences(resources);
  return {
    resources: legacyOrder(resources).map((r): RenderedResource => ({
      object: r.object,
      origin: (p) => originOf(r, p),
    })),
    diagnostics: ctx.diagnostics,
    files: ctx.files,
  };
}

function error(
  ctx: Context,
  span: SourceSpan,
  code: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
): void {
  ctx.diagnostics.push({ ...span, code, message, severity });
}

/**
 * kustomize's AccumulateTarget for one directory: its resources, components,
 * generators, then transformers, into `into` (the parent's list for a
 * component; a fresh list otherwise). False when the directory could not be read.
 */
function accumulate(
  dir: string,
  ctx: Context,
  via: Via | undefined,
  role: 'kustomization' | 'component',
  into: Resource[],
): boolean {
  const where = via?.entry ?? { file: dir, start: 0, end: 0 };
  if (ctx.stack.includes(dir)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(dir)), dir].join(' -> ');
    error(ctx, where, 'kustomize-cycle', `cycle of kustomizations: ${chain}`);
    return false;
  }
  const found = findKustomizationFile(dir, ctx.host);
  if ('error' in found) {
    error(ctx, where, found.error === 'missing' ? 'kustomize-missing-file' : 'kustomize-ambiguous-file', found.message);
    return false;
  }
  const parsed = parseOne(found.text, found.file);
  const first = parsed.errors[0];
  if (first !== undefined || !isObject(parsed.value)) {
    const span =
      first !== undefined
        ? { file: found.file, start: first.start, end: first.end }
        : { file: found.file, start: 0, end: 0 };
    error(ctx, span, 'kustomize-invalid-file', first?.message ?? 'a kustomization is a YAML map');
    return false;
  }
  const k = new Kustomization(found.file, dir, parsed.value, parsed.node);
  ctx.files.push({ file: found.file, role, by: via?.by ?? found.file, entry: where });
  if (role === 'component' && k.kind !== 'Component') {
    error(ctx, where, 'kustomize-not-a-component', `${found.file} is a ${k.kind}, not a Component`);
    return false;
  }
  if (role === 'kustomization' && k.kind === 'Component') {
    error(ctx, where, 'kustomize-component-as-resource', `${found.file} is a Component: list it under components`);
    return false;
  }
  ctx.stack.push(dir);
  try {
    reportUnsupported(k, ctx);
    const own: Resource[] = role === 'component' ? into : [];
    for (const field of ['resources', 'bases']) {
      k.list(field).forEach((entry, i) => addResourceEntry(k, field, i, entry, ctx, own));
    }
    k.list('components').forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const span = k.span(['components', i]);
      if (isRemote(entry))
        return error(
          ctx,
          span,
          'kustomize-remote-unsupported',
          `remote components are not supported offline: ${entry}`,
        );
      const abs = path.resolve(dir, entry);
      if (!ctx.host.isDirectory(abs))
        return error(ctx, span, 'kustomize-missing-file', `component directory not found: ${entry}`);
      accumulate(abs, ctx, { by: k.file, entry: span }, 'component', own);
      return undefined;
    });
    runGenerators(k, own, ctx);
    transform(k, own, ctx);
    if (role !== 'component') into.push(...own);
  } finally {
    ctx.stack.pop();
  }
  return true;
}

function reportUnsupported(k: Kustomization, ctx: Context): void {
  for (const field of PLUGIN_FIELDS) {
    if (k.list(field).length === 0) continue;
    error(
      ctx,
      k.keySpan([field]),
      'kustomize-plugin-unsupported',
      `${field} plugins are not supported: Kube Workbench renders without running plugins`,
    );
  }
  for (const [field, message] of Object.entries(UNSUPPORTED_FIELDS)) {
    if (k.value[field] === undefined) continue;
    error(ctx, k.keySpan([field]), 'kustomize-unsupported-field', `${field}: ${message}`, 'warning');
  }
}

function addResourceEntry(
  k: Kustomization,
  field: string,
  i: number,
  entry: unknown,
  ctx: Context,
  own: Resource[],
): void {
  const span = k.span([field, i]);
  if (typeof entry !== 'string' || entry === '')
    return error(ctx, span, 'kustomize-invalid-entry', `${field} entries are paths`);
  if (isRemote(entry)) {
    return error(ctx, span, 'kustomize-remote-unsupported', `remote resources are not supported offline: ${entry}`);
  }
  const abs = path.resolve(k.dir, entry);
  if (ctx.host.isDirectory(abs)) {
    const sub: Resource[] = [];
    if (accumulate(abs, ctx, { by: k.file, entry: span }, 'kustomization', sub))
      for (const r of sub) add(r, own, ctx, span);
    return;
  }
  const text = ctx.host.readFile(abs);
  if (text === undefined) return error(ctx, span, 'kustomize-missing-file', `file or directory not found: ${entry}`);
  ctx.files.push({ file: abs, role: 'resource', by: k.file, entry: span });
  for (const doc of parseAll(text, abs)) {
    const bad = doc.errors[0];
    if (bad !== undefined) {
      error(ctx, { file: abs, start: bad.start, end: bad.end }, 'kustomize-invalid-resource', bad.message);
      continue;
    }
    if (!isObject(doc.value)) {
      error(
        ctx,
        { file: abs, start: (doc.node?.range?.[0] ?? 0) + doc.offset, end: (doc.node?.range?.[1] ?? 0) + doc.offset },
        'kustomize-invalid-resource',
        'a resource is a YAML map',
      );
      continue;
    }
    const object = doc.value;
    if (typeof object['kind'] === 'string' && object['kind'].endsWith('List') && Array.isArray(object['items'])) {
      object['items'].forEach((item, n) => {
        if (isObject(item)) add(fromFile(item, abs, itemNode(doc.node, n), doc.offset), own, ctx, span);
      });
      continue;
    }
    add(fromFile(object, abs, doc.node, doc.offset), own, ctx, span);
  }
}

function itemNode(node: Node | null, n: number): Node | null {
  const found = nodeAlong(node, ['items', n]);
  return found.depth === 2 ? found.node : null;
}

function add(resource: Resource, own: Resource[], ctx: Context, span: SourceSpan): void {
  const id = idOf(resource.object);
  if (id.kind === '' || id.name === '') {
    error(ctx, resource.source.span, 'kustomize-invalid-resource', 'a resource needs kind and metadata.name');
    return;
  }
  if (own.some((r) => sameId(idOf(r.object), id))) {
    error(ctx, span, 'kustomize-duplicate-resource', `${describeId(id)} is already in this kustomization`);
    return;
  }
  own.push(resource);
}

function transform(k: Kustomization, resources: Resource[], ctx: Context): void {
  runPatchesStrategicMerge(k, resources, ctx);
  runPatches(k, resources, ctx);
  const namespace = k.string('namespace');
  if (namespace !== undefined && namespace !== '') setNamespace(resources, namespace, k.span(['namespace']));
  addNameAffixes(resources, k.string('namePrefix') ?? '', '', k.span(['namePrefix']));
  addNameAffixes(resources, '', k.string('nameSuffix') ?? '', k.span(['nameSuffix']));
  k.list('labels').forEach((entry, i) => {
    if (!isObject(entry) || !isObject(entry['pairs'])) return;
    const pairs: Record<string, string> = {};
    for (const [key, v] of Object.entries(entry['pairs']))
      setOwn(pairs, key, typeof v === 'string' ? v : JSON.stringify(v));
    let specs: readonly FieldSpec[] = [{ path: 'metadata/labels', create: true }];
    if (entry['includeSelectors'] === true) specs = COMMON_LABEL_SPECS;
    else if (entry['includeTemplates'] === true) specs = [...specs, ...TEMPLATE_LABEL_SPECS];
    addToMaps(resources, specs, pairs, k.span(['labels', i, 'pairs']));
  });
  addToMaps(resources, COMMON_LABEL_SPECS, k.stringMap('commonLabels'), k.span(['commonLabels']));
  addToMaps(resources, COMMON_ANNOTATION_SPECS, k.stringMap('commonAnnotations'), k.span(['commonAnnotations']));
  runPatchesJson6902(k, resources, ctx);
  const replicas: ReplicaEntry[] = [];
  k.list('replicas').forEach((entry, i) => {
    const span = k.span(['replicas', i]);
    if (
      !isObject(entry) ||
      typeof entry['name'] !== 'string' ||
      !Number.isSafeInteger(entry['count']) ||
      (entry['count'] as number) < 0
    ) {
      return error(
        ctx,
        span,
        'kustomize-invalid-entry',
        'a replicas entry needs a name and a whole, non-negative count',
      );
    }
    replicas.push({ name: entry['name'], count: entry['count'] as number, span: k.span(['replicas', i, 'name']) });
    return undefined;
  });
  setReplicas(resources, replicas, ctx.diagnostics);
  const images: ImageEntry[] = [];
  k.list('images').forEach((entry, i) => {
    if (!isObject(entry) || typeof entry['name'] !== 'string') return;
    const image: ImageEntry = { name: entry['name'], span: k.span(['images', i]) };
    for (const key of ['newName', 'newTag', 'digest'] as const) {
      const v = entry[key];
      if (typeof v === 'string') image[key] = v;
      else if (typeof v === 'number') image[key] = String(v);
    }
    images.push(image);
  });
  setImages(resources, images);
  for (const resource of resources) (resource.layers ??= []).push(k.file);
}
