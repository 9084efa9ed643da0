/**
 * The JSON text of stored objects for GET and LIST answers, kept per object version: a stored object is
 * frozen, so its text never changes, and a client that lists the same objects again and again (the tree
 * view, `kubectl get -w` reconnecting, a dashboard polling) has each version encoded once. The cache holds
 * at most about `BUDGET` characters of text: past that it starts again (the texts held before are
 * collected with the versions that no one lists any more).
 */
import type { Stored } from '../store/object-store';

/** UTF-16 units of text kept before the cache starts again (about 8 MiB of heap for ASCII text). */
const BUDGET = 4 * 1024 * 1024;

let texts = new WeakMap<Stored, string>();
let held = 0;

/** `JSON.stringify(obj)`, made once per stored version. */
export function objectJson(obj: Stored): string {
  let text = texts.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    if (!Object.isFrozen(obj)) return text;
    if (held + text.length > BUDGET) {
      texts = new WeakMap();
      held = 0;
    }
    texts.set(obj, text);
    held += text.length;
  }
  return text;
}

/** The JSON text of a list answer, as `JSON.stringify({ kind, apiVersion, metadata: { resourceVersion }, items })`. */
export function listJson(kind: string, apiVersion: string, resourceVersion: string, items: readonly Stored[]): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = objectJson(items[i]!);
  return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":${JSON.stringify(resourceVersion)}},"items":[${parts.join(',')}]}`;
}
