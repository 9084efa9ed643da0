/**
 * One problem the API server's validation finds in an object: where (a field
 * path), what kind (Kubernetes' `field.ErrorType`, which becomes a Status
 * cause's `reason`) and its message in Kubernetes' own words. The language
 * server maps the path to a YAML range; the orchestrator turns the list into
 * a 422 Status whose causes carry `reason`, `field` and `message`.
 */

/** A segment of a field path: a field name, a list index, or a map key (`data[key]`). */
export type Segment = string | number | { readonly key: string };
export type FieldPath = readonly Segment[];

export type ErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong';

/** What a rule is about, so the editor can give it a stable diagnostic code. */
export type Topic = 'name' | 'label' | 'port' | 'selector' | 'immutable' | 'value';

export interface FieldError {
  readonly type: ErrorType;
  readonly path: FieldPath;
  /** The path as Kubernetes prints it: `spec.ports[0].name`, `data[key]`. */
  readonly field: string;
  /** Kubernetes' message without the field: `Unsupported value: "Never": supported values: "Always"`. */
  readonly message: string;
  readonly topic: Topic;
  /** Where in the document to point when the field is wider than the fault (a label's key or value in `metadata.labels`). */
  readonly locate?: FieldPath;
}

/** A path as Kubernetes prints it. */
export function fieldString(path: FieldPath): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'object') out += `[${s.key}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** A value in a message: strings quoted, numbers and booleans bare, anything else as JSON. */
export function showValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? 'null';
}

const make = (type: ErrorType, path: FieldPath, message: string, topic: Topic): FieldError => ({
  type,
  path,
  field: fieldString(path),
  message,
  topic,
});

export const required = (path: FieldPath, detail = '', topic: Topic = 'value'): FieldError =>
  make('FieldValueRequired', path, detail ? `Required value: ${detail}` : 'Required value', topic);

export const invalid = (path: FieldPath, value: unknown, detail: string, topic: Topic = 'value'): FieldError =>
  make('FieldValueInvalid', path, `Invalid value: ${showValue(value)}: ${detail}`, topic);

/** An Invalid error whose value Kubernetes leaves out (`Invalid value: field is immutable`). */
export const invalidNoValue = (path: FieldPath, detail: string, topic: Topic = 'value'): FieldError =>
  make('FieldValueInvalid', path, `Invalid value: ${detail}`, topic);

export const notSupported = (
  path: FieldPath,
  value: unknown,
  supported: readonly string[],
  topic: Topic = 'value',
): FieldError =>
  make(
    'FieldValueNotSupported',
    path,
    `Unsupported value: ${showValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
    topic,
  );

export const duplicate = (path: FieldPath, value: unknown, topic: Topic = 'value'): FieldError =>
  make('FieldValueDuplicate', path, `Duplicate value: ${showValue(value)}`, topic);

export const notFound = (path: FieldPath, value: unknown, topic: Topic = 'value'): FieldError =>
  make('FieldValueNotFound', path, `Not found: ${showValue(value)}`, topic);

export const forbidden = (path: FieldPath, detail: string, topic: Topic = 'value'): FieldError =>
  make('FieldValueForbidden', path, `Forbidden: ${detail}`, topic);

export const tooLong = (path: FieldPath, max: number, topic: Topic = 'value'): FieldError =>
  make('FieldValueTooLong', path, `Too long: must have at most ${max} bytes`, topic);

/** `field: message`, the line kubectl prints for each cause. */
export const errorText = (e: FieldError): string => (e.field ? `${e.field}: ${e.message}` : e.message);
