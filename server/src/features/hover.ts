import type { Hover } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { ManifestFile } from '../document/manifest-file.js';
import { removedApi } from '../rules/api-versions.js';
import type { CrdRegistry } from '../schema/crd-registry.js';
import { schemaAtPath, schemaPathLabel, typeLabel } from '../schema/schema-at-path.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { cursorAt } from './cursor.js';

/**
 * Hover on a key or value: the field's description, type, whether it is
 * required, its default, and its path. On `kind` and `apiVersion`: what the
 * resource is and whether that version is deprecated or removed.
 */
export function hover(file: ManifestFile, offset: number, schemas: KubernetesSchemas, crds: CrdRegistry): Hover | null {
  const cursor = cursorAt(file, offset);
  if (!cursor?.kind || !cursor.apiVersion || cursor.path.length === 0 || file.templated) return null;
  const { kind, apiVersion, path } = cursor;
  const root = schemas.schemaFor(apiVersion, kind) ?? crds.lookup(apiVersion, kind)?.schema;
  const lines: string[] = [];

  if (path.length === 1 && (path[0] === 'kind' || path[0] === 'apiVersion')) {
    lines.push(`**${kind}** \`${apiVersion}\``);
    if (root?.description) lines.push('', root.description);
    const gone = removedApi(apiVersion, kind);
    if (!root && gone) {
      lines.push(
        '',
        `⚠ ${apiVersion} ${kind} was removed in Kubernetes ${gone.removedIn}${gone.replacement ? `; use \`${gone.replacement}\`` : ''}.`,
      );
    } else if (!root) {
      const versions = schemas.apiVersionsOf(kind);
      lines.push(
        '',
        versions.length > 0
          ? `Served as: ${versions.map((v) => `\`${v}\``).join(', ')}`
          : 'Not a built-in kind (a custom resource?).',
      );
    } else {
      lines.push('', `Kubernetes ${schemas.kubernetesVersion}`);
    }
  } else {
    if (!root) return null;
    const at = schemaAtPath(schemas, root, path);
    if (!at) return null;
    const field = path[path.length - 1];
    lines.push(
      `**${typeof field === 'number' ? `item ${field}` : field}**: \`${typeLabel(schemas, at.schema)}\`${at.required ? ' — **required**' : ''}`,
    );
    if (at.schema.description) lines.push('', at.schema.description);
    if (at.schema.enum) lines.push('', `Allowed: ${at.schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
    if (at.schema.default !== undefined) lines.push('', `Default: \`${JSON.stringify(at.schema.default)}\``);
    lines.push('', `\`${schemaPathLabel(kind, path)}\``);
  }
  const node = cursor.on === 'key' ? cursor.pair?.key : cursor.pair?.value;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    ...(range ? { range: shiftRange(cursor.parsed.lines.rangeAt(range[0], range[1]), cursor.chunk.startLine) } : {}),
  };
}

function shiftRange(
  r: { start: { line: number; character: number }; end: { line: number; character: number } },
  lines: number,
) {
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}
