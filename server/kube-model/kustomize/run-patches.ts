import * as path from 'node:path';
import type { Node } from 'yaml';
import {
  json6902,
  readTargetSelector,
  SelectorError,
  selectTargets,
  strategicMerge,
  type TargetSelector,
} from './engines';
import type { Kustomization } from './kustomization';
import { describeId, idOf, isObject, recordChanges, type JsonObject, type Resource } from './resource';
import { nodeAlong, parseAll, spanOfNode, type JsonPath } from './yaml-spans';
import type { FileRole, FileUse, KustomizeDiagnostic, KustomizeHost, SourceSpan } from './index';

export interface PatchContext {
  host: KustomizeHost;
  diagnostics: KustomizeDiagnostic[];
  files: FileUse[];
}

/** One patch document: its value, and how to find the span of a path in it. */
interface PatchDoc {
  value: unknown;
  spanFor: (path: JsonPath) => SourceSpan;
}

/** The documents of a patch given by `path` (a file) or inline text; undefined after reporting an error. */
function loadPatch(
  k: Kustomization,
  at: JsonPath,
  file: string | undefined,
  inline: string | undefined,
  role: FileRole | ((docs: PatchDoc[]) => FileRole),
  ctx: PatchContext,
): PatchDoc[] | undefined {
  const entry = file !== undefined ? k.span([...at, 'path']) : k.span(at);
  const fail = (code: string, message: string) => {
    ctx.diagnostics.push({ ...entry, code, severity: 'error', message });
    return undefined;
  };
  let text: string;
  let source: string;
  if (file !== undefined) {
    source = path.resolve(k.dir, file);
    const read = ctx.host.readFile(source);
    if (read === undefined) return fail('kustomize-missing-file', `patch file not found: ${file}`);
    text = read;
  } else if (inline !== undefined) {
    source = k.file;
    text = inline;
  } else {
    return fail('kustomize-patch-invalid', 'a patch needs `path` or `patch`');
  }
  const docs = parseAll(text, source);
  const out: PatchDoc[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const span = file !== undefined ? { file: source, start: error.start, end: error.end } : entry;
      ctx.diagnostics.push({
        ...span,
        code: 'kustomize-patch-invalid',
        severity: 'error',
        message: `patch: ${error.message}`,
      });
      return undefined;
    }
    const node: Node | null = doc.node;
    out.push({
      value: doc.value,
      spanFor: file !== undefined ? (p) => spanOfNode(nodeAlong(node, p).node, source, doc.offset) : () => entry,
    });
  }
  if (file !== undefined) {
    const r = typeof role === 'function' ? role(out) : role;
    ctx.files.push({ file: source, role: r, by: k.file, entry });
  }
  return out;
}

const is6902 = (docs: PatchDoc[]) => docs.length === 1 && Array.isArray(docs[0]?.value);

/** The `target` of a patch entry: undefined when absent, null after reporting a bad one. */
function selectorOf(value: unknown, ctx: PatchContext, span: SourceSpan): TargetSelector | undefined | null {
  if (value === undefined || value === null) return undefined;
  try {
    const selector = readTargetSelector(value);
    targetsOf([], selector); // compiles the patterns: a bad one is reported here, once
    return selector;
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    ctx.diagnostics.push({
      ...span,
      code: 'kustomize-patch-invalid',
      severity: 'error',
      message: `target: ${error.message}`,
    });
    return null;
  }
}

function targetsOf(resources: readonly Resource[], selector: TargetSelector): number[] {
  return selectTargets(
    resources.map((r) => {
      const first = r.previous[0] ?? idOf(r.object);
      return { object: r.object, original: { name: first.name, namespace: first.namespace } };
    }),
    selector,
  );
}

/** Indexes of the resources a target-less strategic merge patch names (its own kind, name, namespace). */
function ownTargets(resources: readonly Resource[], patch: JsonObject): number[] {
  const id = idOf(patch);
  const out: number[] = [];
  resources.forEach((r, i) => {
    const ids = [idOf(r.object), ...r.previous];
    const hit = ids.some(
      (other) =>
        other.kind === id.kind &&
        other.group === id.group &&
        other.name === id.name &&
        (id.namespace === '' ||
          other.namespace === id.namespace ||
          (id.namespace === 'default' && other.namespace === '')),
    );
    if (hit) out.push(i);
  });
  return out;
}

function applySmp(
  resources: Resource[],
  indexes: number[],
  doc: PatchDoc,
  withTarget: boolean,
  ctx: PatchContext,
  entry: SourceSpan,
): void {
  const patch = doc.value as JsonObject;
  const removed: number[] = [];
  for (const i of indexes) {
    const resource = resources[i];
    if (resource === undefined) continue;
    if (patch['$patch'] === 'delete') {
      removed.push(i);
      continue;
    }
    const id = idOf(resource.object);
    let body = patch;
    if (withTarget) {
      // kustomize applies a targeted patch as if it named the target.
      const meta = isObject(patch['metadata']) ? { ...patch['metadata'] } : {};
      delete meta['name'];
      delete meta['namespace'];
      body = { ...patch, metadata: meta };
      delete body['apiVersion'];
      delete body['kind'];
    }
    try {
      const before = resource.object;
      const after = strategicMerge(before, body, id);
      if (after === undefined) {
        removed.push(i);
        continue;
      }
      const meta = isObject(after['metadata']) ? after['metadata'] : {};
      if (meta['name'] !== id.name && withTarget) meta['name'] = id.name;
      resource.object = after;
      recordChanges(resource, before, after, doc.spanFor);
    } catch (error) {
      ctx.diagnostics.push({
        ...entry,
        code: 'kustomize-patch-failed',
        severity: 'error',
        message: `patch on ${describeId(id)}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  for (const i of removed.sort((a, b) => b - a)) resources.splice(i, 1);
}

function apply6902(
  resources: Resource[],
  indexes: number[],
  doc: PatchDoc,
  ctx: PatchContext,
  entry: SourceSpan,
): void {
  const ops = doc.value as unknown[];
  for (const i of indexes) {
    const resource = resources[i];
    if (resource === undefined) continue;
    const before = resource.object;
    let after = before;
    try {
      ops.forEach((op, n) => {
        const next = json6902(after, [op]);
        recordChanges(resource, after, next, () => doc.spanFor([n]));
        after = next;
      });
      resource.object = after;
    } catch (error) {
      const id = idOf(before);
      ctx.diagnostics.push({
        ...entry,
        code: 'kustomize-patch-failed',
        severity: 'error',
        message: `JSON 6902 patch on ${describeId(id)}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

function noTarget(ctx: PatchContext, entry: SourceSpan, what: string, severity: 'error' | 'warning'): void {
  ctx.diagnostics.push({
    ...entry,
    code: 'kustomize-patch-no-target',
    severity,
    message: `${what} matches no resource`,
  });
}

/** `patchesStrategicMerge`: files or inline YAML, each document patching the resource it names. */
export function runPatchesStrategicMerge(k: Kustomization, resources: Resource[], ctx: PatchContext): void {
  k.list('patchesStrategicMerge').forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const inline =
      entry.includes('\n') ||
      (/^\s*[{a-zA-Z$]+:/.test(entry) && !entry.trim().endsWith('.yaml') && !entry.trim().endsWith('.yml'));
    const docs = loadPatch(
      k,
      ['patchesStrategicMerge', i],
      inline ? undefined : entry,
      inline ? entry : undefined,
      'patch-strategic',
      ctx,
    );
    for (const doc of docs ?? []) {
      if (!isObject(doc.value)) continue;
      const hits = ownTargets(resources, doc.value);
      if (hits.length === 0)
        noTarget(ctx, k.span(['patchesStrategicMerge', i]), `patch for ${describeId(idOf(doc.value))}`, 'error');
      applySmp(resources, hits, doc, false, ctx, k.span(['patchesStrategicMerge', i]));
    }
  });
}

/** `patches`: strategic merge or JSON 6902 (a list of operations), by file or inline, with an optional `target`. */
export function runPatches(k: Kustomization, resources: Resource[], ctx: PatchContext): void {
  k.list('patches').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const span = k.span(['patches', i]);
    const file = typeof entry['path'] === 'string' ? entry['path'] : undefined;
    const inline = typeof entry['patch'] === 'string' ? entry['patch'] : undefined;
    const docs = loadPatch(
      k,
      ['patches', i],
      file,
      inline,
      (d) => (is6902(d) ? 'patch-json6902' : 'patch-strategic'),
      ctx,
    );
    if (docs === undefined) return;
    const selector = selectorOf(entry['target'], ctx, k.span(['patches', i, 'target']));
    if (selector === null) return;
    if (is6902(docs)) {
      const doc = docs[0] as PatchDoc;
      if (selector === undefined) {
        ctx.diagnostics.push({
          ...span,
          code: 'kustomize-patch-no-target',
          severity: 'error',
          message: 'a JSON 6902 patch needs a target',
        });
        return;
      }
      const hits = targetsOf(resources, selector);
      if (hits.length === 0) noTarget(ctx, k.span(['patches', i, 'target']), 'this patch target', 'warning');
      apply6902(resources, hits, doc, ctx, span);
      return;
    }
    for (const doc of docs) {
      if (!isObject(doc.value)) continue;
      const hits = selector !== undefined ? targetsOf(resources, selector) : ownTargets(resources, doc.value);
      if (hits.length === 0) {
        if (selector !== undefined) noTarget(ctx, k.span(['patches', i, 'target']), 'this patch target', 'warning');
        else noTarget(ctx, span, `patch for ${describeId(idOf(doc.value))}`, 'error');
      }
      applySmp(resources, hits, doc, selector !== undefined, ctx, span);
    }
  });
}

/** `patchesJson6902`: a target (group, version, kind, name, namespace) and operations by file or inline. */
export function runPatchesJson6902(k: Kustomization, resources: Resource[], ctx: PatchContext): void {
  k.list('patchesJson6902').forEach((entry, i) => {
    if (!isObject(entry)) return;
    const span = k.span(['patchesJson6902', i]);
    const file = typeof entry['path'] === 'string' ? entry['path'] : undefined;
    const inline = typeof entry['patch'] === 'string' ? entry['patch'] : undefined;
    const docs = loadPatch(k, ['patchesJson6902', i], file, inline, 'patch-json6902', ctx);
    if (docs === undefined) return;
    const selector = selectorOf(entry['target'], ctx, k.span(['patchesJson6902', i, 'target']));
    if (selector === null) return;
    const doc = docs[0];
    if (selector === undefined || doc === undefined || !Array.isArray(doc.value)) {
      ctx.diagnostics.push({
        ...span,
        code: 'kustomize-patch-invalid',
        severity: 'error',
        message: 'patchesJson6902 needs a target and a list of operations',
      });
      return;
    }
    const exact: TargetSelector = { ...selector };
    for (const key of ['name', 'kind', 'namespace'] as const) {
      const v = exact[key];
      if (v !== undefined) exact[key] = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    const hits = targetsOf(resources, exact);
    if (hits.length === 0) noTarget(ctx, k.span(['patchesJson6902', i, 'target']), 'this patch target', 'error');
    apply6902(resources, hits, doc, ctx, span);
  });
}
