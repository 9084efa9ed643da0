/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers (RFC 6901: `~1` is `/`,
 * `~0` is `~`, `-` is the end of a list for add). The API server's PATCH and kustomize's JSON 6902 patches use it.
 * Never mutates its inputs; a failure is a PatchError with the index of the failing operation.
 */
import { PatchError } from './patch-error';
import { clone, getOwn, hasOwnKey, isObject, jsonEqual, setOwn } from './json-value';

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

class OpFailure extends Error {}

function fail(message: string): never {
  throw new OpFailure(message);
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(`invalid JSON pointer "${pointer}": it must start with "/"`);
  const tokens = pointer.slice(1).split('/');
  for (const t of tokens) {
    if (/~[^01]|~$/.test(t)) fail(`invalid JSON pointer "${pointer}": "~" must be followed by 0 or 1`);
  }
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * How lenient the engine is. `strict` (the API server's PATCH): RFC 6902 as written. `v4` (kustomize, which
 * uses the Go json-patch library's v4): an index may have leading zeros, a sign, or be negative (counted from
 * the end), `add` without a value adds null, and `replace` of a missing map key adds it.
 */
export type JsonPatchDialect = 'strict' | 'v4';

/** A list index: digits without leading zeros, within the list (or just past its end, for add). */
function index(list: unknown[], key: string, pointer: string, forAdd: boolean, dialect: JsonPatchDialect): number {
  if (forAdd && key === '-') return list.length;
  if (dialect === 'v4' && /^[+-]?[0-9]{1,15}$/.test(key)) {
    let i = Number(key);
    if (i < 0) i += list.length + (forAdd ? 1 : 0);
    if (i >= 0 && (i < list.length || (forAdd && i === list.length))) return i;
    fail(`index "${key}" is out of bounds in "${pointer}"`);
  }
  const i = Number(key);
  if (!/^(0|[1-9][0-9]*)$/.test(key) || i > list.length || (!forAdd && i === list.length)) {
    fail(`index "${key}" is out of bounds in "${pointer}"`);
  }
  return i;
}

const isIndex = (token: string, dialect: JsonPatchDialect): boolean =>
  dialect === 'v4' ? /^[+-]?[0-9]{1,15}$/.test(token) : /^(0|[1-9][0-9]*)$/.test(token);

function parentOf(
  doc: unknown,
  tokens: string[],
  pointer: string,
  dialect: JsonPatchDialect,
): { parent: Container; key: string } {
  let cur = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = isIndex(token, dialect) ? cur.at(Number(token)) : undefined;
    else if (isObject(cur)) cur = getOwn(cur, token);
    else cur = undefined;
    if (cur === undefined) fail(`path "${pointer}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) fail(`path "${pointer}" does not exist`);
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, pointer: string, dialect: JsonPatchDialect): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer, dialect);
  const value = Array.isArray(parent) ? parent[index(parent, key, pointer, false, dialect)] : getOwn(parent, key);
  if (value === undefined) fail(`path "${pointer}" does not exist`);
  return value;
}

function add(doc: unknown, pointer: string, value: unknown, dialect: JsonPatchDialect): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer, dialect);
  if (Array.isArray(parent)) parent.splice(index(parent, key, pointer, true, dialect), 0, value);
  else setOwn(parent, key, value);
  return doc;
}

function remove(doc: unknown, pointer: string, dialect: JsonPatchDialect): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) fail('cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens, pointer, dialect);
  if (Array.isArray(parent)) parent.splice(index(parent, key, pointer, false, dialect), 1);
  else {
    if (!hasOwnKey(parent, key)) fail(`path "${pointer}" does not exist`);
    delete parent[key];
  }
  return doc;
}

function pointerField(op: Record<string, unknown>, field: 'path' | 'from'): string {
  const value = op[field];
  if (typeof value !== 'string') fail(`"${op.op as string}" needs "${field}" (a JSON pointer string)`);
  return value;
}

function applyOne(doc: unknown, raw: unknown, dialect: JsonPatchDialect): unknown {
  if (!isObject(raw) || typeof raw.op !== 'string') fail('each operation needs "op" and "path"');
  const path = pointerField(raw, 'path');
  const has = (field: string) => hasOwnKey(raw, field);
  switch (raw.op) {
    case 'add':
      if (path === '' && dialect === 'v4') fail('add operation does not apply: doc is missing path ""');
      if (!has('value') && dialect === 'strict') fail(`"add" at "${path}" needs a "value"`);
      return add(doc, path, clone(raw.value ?? null), dialect);
    case 'remove':
      return remove(doc, path, dialect);
    case 'replace':
      if (!has('value') && dialect === 'strict') fail(`"replace" at "${path}" needs a "value"`);
      if (dialect === 'v4' && path !== '' && replacesMissingKey(doc, path, dialect))
        return add(doc, path, clone(raw.value ?? null), dialect);
      get(doc, path, dialect);
      return path === ''
        ? clone(raw.value ?? null)
        : add(remove(doc, path, dialect), path, clone(raw.value ?? null), dialect);
    case 'move': {
      const from = pointerField(raw, 'from');
      if (path !== from && path.startsWith(`${from}/`)) fail(`cannot move "${from}" into itself ("${path}")`);
      const value = get(doc, from, dialect);
      return add(remove(doc, from, dialect), path, value, dialect);
    }
    case 'copy':
      return add(doc, path, clone(get(doc, pointerField(raw, 'from'), dialect)), dialect);
    case 'test':
      if (!jsonEqual(get(doc, path, dialect), raw.value)) fail(`testing value ${path} failed`);
      return doc;
    default:
      fail(`unexpected operation "${raw.op}"`);
  }
}

/** Whether `path` names a missing key of an existing map (v4's replace then adds it). */
function replacesMissingKey(doc: unknown, path: string, dialect: JsonPatchDialect): boolean {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, path, dialect);
  return isObject(parent) && !hasOwnKey(parent, key);
}

/** Applies the operations in order to a copy of `target`. */
export function applyJsonPatch(target: unknown, ops: unknown, how: JsonPatchDialect = 'strict'): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (let i = 0; i < ops.length; i++) {
    try {
      doc = applyOne(doc, ops[i], how);
    } catch (e) {
      if (e instanceof OpFailure) throw new PatchError(e.message, i);
      throw e;
    }
  }
  return doc;
}
