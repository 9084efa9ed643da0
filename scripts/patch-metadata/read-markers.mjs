// Reads the merge markers Kubernetes writes in the comments of its
// generated.proto files (the same comment tags its OpenAPI generator turns
// into x-kubernetes-* extensions): on a field `+patchStrategy`,
// `+patchMergeKey`, `+listType`, `+listMapKey` (one per key) and `+mapType`;
// on a message `+structType`. Field types are kept so the table can be walked
// from a kind down to its nested types.

const FIELD = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*\d+\s*(?:\[[^\]]*\])?\s*;$/;
const MAP_FIELD = /^map\s*<\s*[\w.]+\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*\d+\s*(?:\[[^\]]*\])?\s*;$/;
const MARKER = /^\+(patchStrategy|patchMergeKey|listType|listMapKey|mapType|structType)=(\S+)$/;

/**
 * @typedef {{ patchStrategy?: string, patchMergeKey?: string, listType?: string, listMapKeys?: string[], mapType?: string }} Markers
 * @typedef {{ name: string, type: string, markers: Markers }} MarkedField
 * @typedef {{ name: string, mapType?: string, fields: MarkedField[] }} MarkedMessage
 * @typedef {{ package: string, messages: MarkedMessage[] }} MarkedFile
 */

/** @returns {Markers} */
function markersOf(comments, where) {
  /** @type {Markers} */
  const out = {};
  for (const comment of comments) {
    const match = MARKER.exec(comment);
    if (!match) continue;
    const [, name, value] = match;
    if (name === 'listMapKey') out.listMapKeys = [...(out.listMapKeys ?? []), value];
    else if (name === 'structType') out.mapType = value;
    else if (out[name] !== undefined && out[name] !== value) throw new Error(`${where}: +${name} given twice`);
    else out[name] = value;
  }
  return out;
}

/** Parses one generated.proto text. `where` names it in errors. @returns {MarkedFile} */
export function readMarkers(text, where = 'proto') {
  let pkg = '';
  /** @type {MarkedMessage[]} */
  const messages = [];
  /** @type {MarkedMessage | undefined} */
  let open;
  /** @type {string[]} */
  let comments = [];
  // Block comments (the license header) hold no markers.
  const lines = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const at = `${where}:${i + 1}`;
    if (line.startsWith('//')) {
      comments.push(line.slice(2).trim());
      continue;
    }
    if (line === '') {
      comments = [];
      continue;
    }
    if (open) {
      if (line === '}') {
        messages.push(open);
        open = undefined;
      } else {
        const field = FIELD.exec(line);
        const map = MAP_FIELD.exec(line);
        if (field) open.fields.push({ name: field[3], type: field[2], markers: markersOf(comments, at) });
        else if (map) open.fields.push({ name: map[2], type: map[1], markers: markersOf(comments, at) });
        else throw new Error(`${at}: not a field: ${line}`);
      }
    } else {
      const message = /^message\s+(\w+)\s*\{$/.exec(line);
      if (message) {
        const { mapType } = markersOf(comments, at);
        open = { name: message[1], ...(mapType ? { mapType } : {}), fields: [] };
      } else if (line.startsWith('package ')) pkg = line.slice('package '.length, -1).trim();
      else if (!/^(syntax|import|option)\b/.test(line)) throw new Error(`${at}: unexpected statement: ${line}`);
    }
    comments = [];
  }
  if (open) throw new Error(`${where}: message ${open.name} is not closed`);
  if (pkg === '') throw new Error(`${where}: no package`);
  return { package: pkg, messages };
}
