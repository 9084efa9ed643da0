/**
 * `fieldValidation`: fields the kind's schema does not know are an error
 * (Strict, kubectl's default), a warning (Warn) or ignored (Ignore).
 */
import { StatusError } from '../../store/errors';
import { isObject } from '../../store/object';
import type { ResourceDef } from '../registry';
import type { AdmissionContext } from './admission';
import { fileSchemaSource, type JsonSchema, type SchemaSource } from './schema-source';

let source: SchemaSource = fileSchemaSource();

/** Replaces where schemas come from (tests, or a bundled copy). */
export function setSchemaSource(next: SchemaSource): void {
  source = next;
}

export function unknownFields(
  value: unknown,
  schema: JsonSchema | undefined,
  path: string,
  out: string[],
  depth = 0,
): void {
  if (!schema || depth > 64) return;
  if (schema.$ref) {
    unknownFields(value, source.resolve(schema.$ref), path, out, depth + 1);
    return;
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) return;
  if (isObject(value)) {
    const props = schema.properties;
    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (props && key in props) unknownFields(child, props[key], at, out, depth + 1);
      else if (isObject(schema.additionalProperties))
        unknownFields(child, schema.additionalProperties, at, out, depth + 1);
      else if (props && schema.additionalProperties !== true) out.push(at);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => unknownFields(item, schema.items, `${path}[${i}]`, out, depth + 1));
  }
}

export function checkUnknownFields(def: ResourceDef, raw: unknown, context: AdmissionContext): void {
  if (context.fieldValidation === 'Ignore') return;
  const schema = source.forKind(def.group, def.version, def.kind);
  if (!schema) return;
  const found: string[] = [];
  unknownFields(raw, schema, '', found);
  if (found.length === 0) return;
  const messages = found.map((f) => `unknown field "${f}"`);
  if (context.fieldValidation === 'Warn') {
    context.warnings.push(...messages);
    return;
  }
  throw new StatusError(
    'BadRequest',
    `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${messages.join(', ')}`,
    {
      kind: def.kind,
      group: def.group,
      causes: found.map((f) => ({ reason: 'FieldValueInvalid', message: `unknown field "${f}"`, field: f })),
    },
  );
}
