// Turns parsed .proto files into the decoder's message table (full message
// name -> field number -> [JSON name, cardinality, type]) and prints it as
// the TypeScript module client/orchestrator/api/protobuf/proto-messages.ts.

/** proto2 scalar types kept as they are; every other type names a message. */
const SCALARS = new Set([
  'bool',
  'bytes',
  'double',
  'fixed32',
  'fixed64',
  'float',
  'int32',
  'int64',
  'sfixed32',
  'sfixed64',
  'sint32',
  'sint64',
  'string',
  'uint32',
  'uint64',
]);

/**
 * The table of every message of `files`, sorted by full name. A field's message type is resolved as protoc
 * does: a leading dot is absolute, otherwise the innermost enclosing package that declares it wins.
 * @param {import('./parse-proto.mjs').ProtoFile[]} files
 * @param {Set<string>} [known] full names of messages declared in files that are read but not tabled
 * @returns {Record<string, Record<string, [string, string, string]>>}
 */
export function buildTable(files, known = new Set()) {
  const declared = new Set(known);
  for (const file of files) for (const m of file.messages) declared.add(`${file.package}.${m.name}`);
  /** @type {[string, Record<string, [string, string, string]>][]} */
  const entries = [];
  for (const file of files) {
    for (const message of file.messages) {
      const full = `${file.package}.${message.name}`;
      const fields = [...message.fields].sort((a, b) => a.number - b.number);
      const row = {};
      for (const field of fields) {
        if (String(field.number) in row) throw new Error(`${full}: field number ${field.number} twice`);
        row[String(field.number)] = [field.name, field.cardinality, resolve(field.type, file.package, declared, full)];
      }
      entries.push([full, row]);
    }
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function resolve(type, pkg, declared, where) {
  if (SCALARS.has(type)) return type;
  if (type.startsWith('.')) {
    if (declared.has(type.slice(1))) return type.slice(1);
  } else {
    const scope = pkg.split('.');
    for (let n = scope.length; n >= 0; n--) {
      const candidate = [...scope.slice(0, n), type].join('.');
      if (declared.has(candidate)) return candidate;
    }
  }
  throw new Error(`${where}: type ${type} is not declared in the files read`);
}

/**
 * The module's text before formatting: each message on one line, as Prettier then wraps the long ones.
 * @param {Record<string, Record<string, [string, string, string]>>} table
 * @param {string[]} header lines of the header comment
 */
export function renderTable(table, header) {
  const q = (s) => `'${s}'`;
  const lines = Object.entries(table).map(([name, fields]) => {
    const body = Object.entries(fields)
      .map(([number, def]) => `${q(number)}: [${def.map(q).join(', ')}]`)
      .join(', ');
    return `  ${q(name)}: {${body === '' ? '' : ` ${body} `}},`;
  });
  return [
    '/**',
    ...header.map((line) => (line === '' ? ' *' : ` * ${line}`)),
    ' */',
    "export type FieldDef = [name: string, cardinality: 'one' | 'repeated' | 'map', type: string];",
    '',
    'export const PROTO_MESSAGES: Record<string, Record<string, FieldDef>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}
