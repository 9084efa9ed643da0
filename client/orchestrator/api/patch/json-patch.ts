/** JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers. */
import { StatusError } from '../../store/errors';
import { clone, getOwn, hasOwnKey, isObject, jsonEqual, setOwn } from '../../store/object';

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function fail(message: string): never {
  throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur)) cur = getOwn(cur, token);
    else cur = undefined;
    if (cur === undefined) fail(`path "${pointer}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) fail(`path "${pointer}" does not exist`);
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function index(list: unknown[], key: string, pointer: string, forAdd: boolean): number {
  if (forAdd && key === '-') return list.length;
  const i = Number(key);
  if (!/^(0|[1-9][0-9]*)$/.test(key) || i > list.length || (!forAdd && i === list.length)) {
    fail(`index "${key}" is out of bounds in "${pointer}"`);
  }
  return i;
}

function get(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  const value = Array.isArray(parent) ? parent[index(parent, key, pointer, false)] : getOwn(parent, key);
  if (value === undefined) fail(`path "${pointer}" does not exist`);
  return value;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(index(parent, key, pointer, true), 0, value);
  else setOwn(parent, key, value);
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) fail('cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(index(parent, key, pointer, false), 1);
  else {
    if (!hasOwnKey(parent, key)) fail(`path "${pointer}" does not exist`);
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) fail('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      fail('each operation needs "op" and "path"');
    const op = raw as unknown as JsonPatchOp;
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, clone(op.value));
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        get(doc, op.path);
        doc = add(remove(doc, op.path), op.path, clone(op.value));
        break;
      case 'move': {
        const value = get(doc, op.from ?? '');
        doc = add(remove(doc, op.from ?? ''), op.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, op.path, clone(get(doc, op.from ?? '')));
        break;
      case 'test':
        if (!jsonEqual(get(doc, op.path), op.value)) fail(`testing value ${op.path} failed`);
        break;
      default:
        fail(`unexpected operation "${op.op}"`);
    }
  }
  return doc;
}
