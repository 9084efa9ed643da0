import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import { isListItem, listItemDocuments } from '../document/list-items.js';
import { nodeAt } from '../document/node-at.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import type { DocumentChunk } from '../document/split-documents.js';
import { ClientCommand, clientCommand } from '../protocol/client-commands.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { podSpecPath } from '../rules/pod-specs.js';
import { schemaAtPath } from '../schema/schema-at-path.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { chunkAt, cursorAt } from './cursor.js';

/**
 * Quick fixes for our diagnostics, and refactorings at the cursor. Each is a
 * text edit that leaves valid YAML: a renamed key, an inserted field, a
 * replaced apiVersion (with Ingress fields reshaped), labels made to agree
 * with the selector, resource requests and limits added to a container.
 */
export function codeActions(
  file: ManifestFile,
  uri: string,
  range: Range,
  offsetOf: (line: number, character: number) => number,
  diagnostics: readonly Diagnostic[],
  schemas: KubernetesSchemas,
): CodeAction[] {
  const out: CodeAction[] = [];
  const action = (title: string, edits: TextEdit[], diagnostic?: Diagnostic, preferred = true): void => {
    const a: CodeAction = {
      title,
      kind: diagnostic ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
      edit: { changes: { [uri]: edits } },
    };
    if (diagnostic) {
      a.diagnostics = [diagnostic];
      a.isPreferred = preferred;
    }
    out.push(a);
  };
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const at = chunkAt(file, offsetOf(d.range.start.line, d.range.start.character));
    if (!at) continue;
    const local = offsetOf(d.range.start.line, d.range.start.character) - at.chunk.start;
    const found = at.parsed.docs.find((x) => x.contents?.range && x.contents.range[0] <= local) ?? at.parsed.docs[0];
    // In a list document the item is the manifest; a whole-document rewrite does not apply to it.
    const item = found && listItemDocuments(found).find((x) => x.range[0] <= local && local <= x.range[1]);
    const doc = item ?? found;
    const whole = item === undefined;
    switch (d.code) {
      case DiagnosticCode.unknownField: {
        const suggestion = /did you mean `([^`]+)`/.exec(d.message)?.[1];
        if (suggestion) action(`Change to \`${suggestion}\``, [{ range: d.range, newText: suggestion }], d);
        break;
      }
      case DiagnosticCode.missingRequired: {
        const path = (d.data as { path?: (string | number)[] } | undefined)?.path;
        if (doc && path) {
          const edit = insertField(doc, at.parsed, at.chunk, path, schemas);
          if (edit) action(`Add required field \`${String(path[path.length - 1])}\``, [edit], d);
        }
        break;
      }
      case DiagnosticCode.removedApi:
      case DiagnosticCode.deprecatedApi:
      case DiagnosticCode.unknownApiVersion: {
        const target = /use `apiVersion: ([^`]+)`/.exec(d.message)?.[1];
        if (!target || !doc) break;
        const kind = doc.get('kind');
        if (kind === 'Ingress' && target === 'networking.k8s.io/v1') {
          if (!whole) break;
          action(
            `Migrate to ${target} (reshape backends)`,
            [rewriteDocument(at.parsed, at.chunk, doc, (copy) => migrateIngress(copy, target))],
            d,
          );
        } else action(`Change apiVersion to ${target}`, [{ range: d.range, newText: target }], d);
        break;
      }
      case DiagnosticCode.imageTag: {
        const image = /^image `([^`]+)`/.exec(d.message)?.[1];
        if (!image) break;
        out.push({
          title: `Pin \`${image.replace(/:latest$/, '')}\` to a version…`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          command: clientCommand('Pin image to a version', ClientCommand.pinImageTag, uri, d.range, image),
        });
        break;
      }
      case DiagnosticCode.invalidValue: {
        // A HorizontalPodAutoscaler whose maxReplicas is below its minReplicas: raise the maximum to the minimum.
        if (!/^spec\.maxReplicas: .*`minReplicas`/.test(d.message) || !doc) break;
        const min = doc.getIn(['spec', 'minReplicas']);
        if (typeof min === 'number' && Number.isInteger(min) && min >= 1)
          action(`Set maxReplicas to ${min} (minReplicas)`, [{ range: d.range, newText: String(min) }], d);
        break;
      }
      case DiagnosticCode.selectorMismatch:
        if (doc && whole)
          action(
            'Make the template labels match the selector',
            [rewriteDocument(at.parsed, at.chunk, doc, alignTemplateLabels)],
            d,
          );
        break;
    }
  }
  const cursor = cursorAt(file, offsetOf(range.start.line, range.start.character));
  const spec = cursor?.kind ? podSpecPath(cursor.kind) : undefined;
  if (cursor?.doc && spec && !isListItem(cursor.doc)) {
    const containerIndex =
      cursor.path.length > spec.length + 1 && cursor.path[spec.length] === 'containers'
        ? cursor.path[spec.length + 1]
        : undefined;
    const containerPath = typeof containerIndex === 'number' ? [...spec, 'containers', containerIndex] : undefined;
    if (containerPath && !isMap(nodeAt(cursor.doc, [...containerPath, 'resources']))) {
      action('Add resource requests and limits', [
        rewriteDocument(cursor.parsed, cursor.chunk, cursor.doc, (copy) =>
          copy.setIn(
            [...containerPath, 'resources'],
            copy.createNode({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }),
          ),
        ),
      ]);
    }
  }
  return out;
}

/** Inserts `name: <placeholder>` into the map at `path`'s parent, at the indentation of its keys. */
function insertField(
  doc: Document.Parsed,
  parsed: ParsedChunk,
  chunk: DocumentChunk,
  path: readonly (string | number)[],
  schemas: KubernetesSchemas,
): TextEdit | undefined {
  const name = String(path[path.length - 1]);
  const parentPath = path.slice(0, -1);
  const kind = doc.get('kind');
  const apiVersion = doc.get('apiVersion');
  const root =
    typeof kind === 'string' && typeof apiVersion === 'string' ? schemas.schemaFor(apiVersion, kind) : undefined;
  const field = root ? schemaAtPath(schemas, root, path)?.schema : undefined;
  const placeholder =
    field?.enum?.[0] !== undefined
      ? ` ${JSON.stringify(field.enum[0])}`
      : field?.type === 'array'
        ? ' []'
        : field?.type === 'object' || field?.properties
          ? ' {}'
          : field?.type === 'integer'
            ? ' 1'
            : field?.type === 'boolean'
              ? ' false'
              : ' ""';
  const map = parentPath.length === 0 ? doc.contents : nodeAt(doc, parentPath);
  const first = isMap(map) && !map.flow ? map.items[0]?.key : undefined;
  const position = (offset: number): { line: number; character: number } => {
    const p = parsed.lines.positionAt(offset);
    return { line: p.line + chunk.startLine, character: p.character };
  };
  if (isScalar(first) && first.range) {
    const start = position(first.range[0]);
    return { range: { start, end: start }, newText: `${name}:${placeholder}\n${' '.repeat(start.character)}` };
  }
  if (isMap(map) && map.flow && map.range) {
    const end = position(map.range[1] - 1);
    return { range: { start: end, end }, newText: `${map.items.length > 0 ? ', ' : ''}${name}:${placeholder}` };
  }
  // An empty value (`spec:`): put the field on the next line, one level deeper than its key.
  const keyNode = parentPath.length > 0 ? keyOf(doc, parentPath) : undefined;
  if (keyNode?.range) {
    const keyPos = position(keyNode.range[0]);
    const lineEnd = parsed.text.indexOf('\n', keyNode.range[1]);
    const end = position(lineEnd < 0 ? parsed.text.length : lineEnd);
    return { range: { start: end, end }, newText: `\n${' '.repeat(keyPos.character + 2)}${name}:${placeholder}` };
  }
  return undefined;
}

function keyOf(doc: Document.Parsed, path: readonly (string | number)[]): Node | undefined {
  const parent = path.length === 1 ? doc.contents : nodeAt(doc, path.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

/** Replaces a whole document with an edited copy, keeping the user's list indentation style. */
function rewriteDocument(
  parsed: ParsedChunk,
  chunk: DocumentChunk,
  doc: Document.Parsed,
  change: (copy: Document) => void,
): TextEdit {
  const copy = parseAllDocuments(parsed.text.slice(doc.range[0], doc.range[2]), MANIFEST_YAML_OPTIONS);
  const target = (Array.isArray(copy) ? copy[0] : undefined) ?? doc.clone();
  change(target);
  const indentSeq = !/^( *)[^\s#][^\n]*:[ \t]*\n\1- /m.test(parsed.text);
  const text = target.toString({ lineWidth: 0, indentSeq, flowCollectionPadding: false });
  const start = parsed.lines.positionAt(doc.range[0]);
  const end = parsed.lines.positionAt(doc.range[2]);
  return {
    range: {
      start: { line: start.line + chunk.startLine, character: start.character },
      end: { line: end.line + chunk.startLine, character: end.character },
    },
    newText: text,
  };
}

/** extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress to v1: `serviceName`/`servicePort` become `service.name`/`service.port`. */
function migrateIngress(doc: Document, apiVersion: string): void {
  doc.set('apiVersion', apiVersion);
  const reshape = (backendPath: (string | number)[]): void => {
    const backend = nodeAt(doc, backendPath);
    if (!isMap(backend)) return;
    const name = backend.get('serviceName');
    const port = backend.get('servicePort');
    if (name === undefined) return;
    backend.delete('serviceName');
    backend.delete('servicePort');
    const portNode =
      typeof port === 'number'
        ? { number: port }
        : /^\d+$/.test(String(port))
          ? { number: Number(port) }
          : { name: String(port) };
    backend.set('service', doc.createNode({ name, port: portNode }));
  };
  reshape(['spec', 'backend']);
  const backend = nodeAt(doc, ['spec', 'backend']);
  if (backend) {
    doc.setIn(['spec', 'defaultBackend'], backend);
    doc.deleteIn(['spec', 'backend']);
  }
  const rules = nodeAt(doc, ['spec', 'rules']);
  if (!isSeq(rules)) return;
  rules.items.forEach((_, r) => {
    const paths = nodeAt(doc, ['spec', 'rules', r, 'http', 'paths']);
    if (!isSeq(paths)) return;
    paths.items.forEach((p, i) => {
      reshape(['spec', 'rules', r, 'http', 'paths', i, 'backend']);
      if (isMap(p) && !p.has('pathType')) p.set('pathType', 'ImplementationSpecific');
    });
  });
}

/** Sets every `selector.matchLabels` entry on the pod template's labels. */
function alignTemplateLabels(doc: Document): void {
  const kind = doc.get('kind');
  const selector = nodeAt(
    doc,
    kind === 'ReplicationController' ? ['spec', 'selector'] : ['spec', 'selector', 'matchLabels'],
  );
  if (!isMap(selector)) return;
  for (const pair of selector.items) {
    if (!isScalar(pair.key)) continue;
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    doc.setIn(['spec', 'template', 'metadata', 'labels', String(pair.key.value)], value);
  }
}
