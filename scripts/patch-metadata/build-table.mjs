// Turns the markers of generated.proto files into the patch metadata table:
// for each type (by its OpenAPI name, io.k8s.api.core.v1.PodSpec) the fields
// that carry merge markers or lead to a type that does, so that the table can
// be walked from a kind's root down to every list whose merge is not atomic.

/** `k8s.io.api.core.v1.PodSpec` -> `io.k8s.api.core.v1.PodSpec`, the name Kubernetes' OpenAPI gives it. */
export const openApiName = (protoName) => protoName.replace(/^k8s\.io\./, 'io.k8s.');

function resolve(type, pkg, declared) {
  if (type.startsWith('.')) return declared.has(type.slice(1)) ? type.slice(1) : undefined;
  const scope = pkg.split('.');
  for (let n = scope.length; n >= 0; n--) {
    const candidate = [...scope.slice(0, n), type].join('.');
    if (declared.has(candidate)) return candidate;
  }
  return undefined;
}

const MARKER_ORDER = ['patchStrategy', 'patchMergeKey', 'listType', 'listMapKeys', 'mapType'];

/**
 * @param {import('./read-markers.mjs').MarkedFile[]} files
 * @returns {Record<string, { mapType?: string, fields: Record<string, object> }>} sorted by type name, then field name
 */
export function buildPatchTable(files) {
  const declared = new Set();
  for (const file of files) for (const m of file.messages) declared.add(`${file.package}.${m.name}`);
  /** @type {Map<string, { mapType?: string, fields: { name: string, type?: string, markers: object }[] }>} */
  const types = new Map();
  for (const file of files) {
    for (const message of file.messages) {
      const fields = message.fields.map((f) => {
        const type = resolve(f.type, file.package, declared);
        return { name: f.name, ...(type ? { type: openApiName(type) } : {}), markers: f.markers };
      });
      types.set(openApiName(`${file.package}.${message.name}`), { mapType: message.mapType, fields });
    }
  }
  // A type is kept when it carries a marker or one of its fields' types is kept (to a fixed point).
  const kept = new Set();
  const hasMarkers = (t) => t.mapType !== undefined || t.fields.some((f) => Object.keys(f.markers).length > 0);
  for (const [name, t] of types) if (hasMarkers(t)) kept.add(name);
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, t] of types) {
      if (!kept.has(name) && t.fields.some((f) => f.type !== undefined && kept.has(f.type))) {
        kept.add(name);
        changed = true;
      }
    }
  }
  const table = {};
  for (const name of [...kept].sort()) {
    const t = types.get(name);
    const fields = {};
    for (const f of [...t.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const entry = {};
      if (f.type !== undefined && kept.has(f.type)) entry.type = f.type;
      for (const key of MARKER_ORDER) if (f.markers[key] !== undefined) entry[key] = f.markers[key];
      if (Object.keys(entry).length > 0) fields[f.name] = entry;
    }
    table[name] = { ...(t.mapType ? { mapType: t.mapType } : {}), fields };
  }
  return table;
}
