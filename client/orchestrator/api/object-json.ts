/**
 * The JSON of stored objects for GET and LIST answers, as UTF-8 bytes kept per object version: a stored
 * object is frozen, so its encoding never changes, and a client that lists the same objects again and
 * again (the tree view, a dashboard polling, `kubectl get` in a loop) has each version encoded once; a list
 * is its items' bytes copied side by side. The bytes live outside the JavaScript heap (the collector never
 * copies them). The cache holds at most about `BUDGET` bytes: past that it starts again (what it held
 * before is collected with the versions no one lists any more).
 */
import type { Stored } from '../store/object-store';

/** Bytes of encoded objects kept before the cache starts again. */
const BUDGET = 4 * 1024 * 1024;

let encoded = new WeakMap<Stored, Buffer>();
let held = 0;
const COMMA = Buffer.from(',');
const LIST_END = Buffer.from(']}');

/** `JSON.stringify(obj)` as UTF-8 bytes, made once per stored (frozen) version. */
export function objectJson(obj: Stored): Buffer {
  let bytes = encoded.get(obj);
  if (bytes === undefined) {
    const text = JSON.stringify(obj);
    if (!Object.isFrozen(obj)) return Buffer.from(text, 'utf8');
    // A buffer of its own: a small one from Buffer's shared pool would keep the pool's 8 KiB alive.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text);
    if (held + bytes.length > BUDGET) {
      encoded = new WeakMap();
      held = 0;
    }
    encoded.set(obj, bytes);
    held += bytes.length;
  }
  return bytes;
}

/** A list answer's bytes: `JSON.stringify({ kind, apiVersion, metadata: { resourceVersion }, items })` in UTF-8. */
export function listJson(kind: string, apiVersion: string, resourceVersion: string, items: readonly Stored[]): Buffer {
  const head = Buffer.from(
    `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":${JSON.stringify(resourceVersion)}},"items":[`,
    'utf8',
  );
  const parts: Buffer[] = [head];
  let length = head.length + LIST_END.length;
  for (let i = 0; i < items.length; i++) {
    const bytes = objectJson(items[i]!);
    if (i > 0) parts.push(COMMA);
    parts.push(bytes);
    length += bytes.length + (i > 0 ? 1 : 0);
  }
  parts.push(LIST_END);
  return Buffer.concat(parts, length);
}
