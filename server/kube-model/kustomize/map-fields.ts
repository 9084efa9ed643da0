import { setOwn } from '../patch/json-value';
import { forEachField, specApplies, type FieldSpec } from './field-specs';
import { idOf, isObject, pathKey, setOrigin, type Resource } from './resource';
import type { SourceSpan } from './index';

/**
 * Adds `entries` to the string maps the field specs name (labels, selectors,
 * annotations), overwriting same keys, recording `span` as their origin.
 */
export function addToMaps(
  resources: readonly Resource[],
  specs: readonly FieldSpec[],
  entries: Readonly<Record<string, string>>,
  span: SourceSpan,
): void {
  const keys = Object.keys(entries);
  if (keys.length === 0) return;
  for (const resource of resources) {
    const { kind, group } = idOf(resource.object);
    const done = new Set<string>();
    for (const spec of specs) {
      if (!specApplies(spec, kind, group)) continue;
      forEachField(resource.object, spec.path, spec.create, (parent, key, at) => {
        const where = pathKey(at);
        if (done.has(where)) return;
        done.add(where);
        let map = parent[key];
        if (!isObject(map)) {
          if (map !== undefined && map !== null) return; // not a map: left as it is
          map = {};
          parent[key] = map;
        }
        for (const k of keys) {
          setOwn(map, k, entries[k] ?? '');
          setOrigin(resource, [...at, k], span);
        }
      });
    }
  }
}
