// Reads the subset of the proto2 language that Kubernetes' generated.proto
// files use: one package, top-level messages, and fields written as
// `optional|repeated TYPE name = N;` or `map<KEY, VALUE> name = N;`.
// Anything else inside a message (nested messages, oneof, extensions) is an
// error, so a change in the input's shape is noticed instead of skipped.

const FIELD = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(?:\[[^\]]*\])?\s*;$/;
const MAP_FIELD = /^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*(?:\[[^\]]*\])?\s*;$/;

/**
 * @typedef {{ number: number, name: string, cardinality: 'one' | 'repeated' | 'map', type: string }} ProtoField
 * @typedef {{ name: string, fields: ProtoField[] }} ProtoMessage
 * @typedef {{ package: string, messages: ProtoMessage[] }} ProtoFile
 */

/** Parses one .proto file's text. `where` names it in errors. @returns {ProtoFile} */
export function parseProto(text, where = 'proto') {
  const statements = withoutComments(text)
    .split(/([{};])/)
    .reduce(joinStatements, [])
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let pkg = '';
  /** @type {ProtoMessage[]} */
  const messages = [];
  /** @type {ProtoMessage | undefined} */
  let open;
  for (const statement of statements) {
    const fail = (why) => new Error(`${where}: ${why}: ${statement}`);
    if (open) {
      if (statement === '}') {
        messages.push(open);
        open = undefined;
      } else if (statement !== ';') open.fields.push(parseField(statement, fail));
      continue;
    }
    const message = /^message\s+(\w+)\s*\{$/.exec(statement);
    if (message) open = { name: message[1], fields: [] };
    else if (statement.startsWith('package ')) pkg = statement.slice('package '.length, -1).trim();
    else if (!/^(syntax|import|option)\b/.test(statement) && statement !== ';') throw fail('unexpected statement');
  }
  if (open) throw new Error(`${where}: message ${open.name} is not closed`);
  if (pkg === '') throw new Error(`${where}: no package statement`);
  return { package: pkg, messages };
}

function parseField(statement, fail) {
  const map = MAP_FIELD.exec(statement);
  if (map) {
    if (map[1] !== 'string') throw fail('only string map keys are supported');
    return { number: Number(map[4]), name: map[3], cardinality: 'map', type: map[2] };
  }
  const field = FIELD.exec(statement);
  if (!field) throw fail('not a field');
  const cardinality = field[1] === 'repeated' ? 'repeated' : 'one';
  return { number: Number(field[4]), name: field[3], cardinality, type: field[2] };
}

/** Blanks out `//` and `/* *\/` comments; the files hold no string with either in it. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** Splits on braces and semicolons, keeping each with the text before it: `message X {`, `optional T f = 1;`, `}`. */
function joinStatements(out, piece) {
  if (piece === '{' || piece === ';') {
    out.push(`${out.pop() ?? ''}${piece}`);
  } else if (piece === '}') {
    out.push(out.pop() ?? '', '}');
  } else out.push(piece);
  return out;
}
