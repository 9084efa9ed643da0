/**
 * YAML request bodies (`application/yaml` for create and update,
 * `application/apply-patch+yaml` for server-side apply), read as the API
 * server reads them: one document, YAML 1.1 scalars as kubectl's
 * YAML-to-JSON conversion reads them, duplicate keys refused. Hostile input
 * gets a 400 with its line and column: alias bombs (the parser stops
 * counting past 100 aliases), more than one document, nesting past
 * MAX_YAML_DEPTH (found before the parser recurses: yaml-depth.ts) or, once
 * aliases are expanded, past the store's limit. A key named `__proto__` stays
 * an own key of its mapping.
 */
import { parseAllDocuments, type YAMLError } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../../../server/kube-model/yaml-options';
import { badRequest, type StatusError } from '../store/errors';
import { MAX_NESTING_DEPTH, nestingDepth } from '../store/object';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_VALUES, yamlShapeProblem } from './yaml-depth';
import { firstDuplicateKey } from './yaml-duplicate-keys';

export const YAML_MEDIA_TYPE = 'application/yaml';

/** " at line L, column C" of an offset into the text (1-based, as kubectl and editors count). */
function at(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

function tooDeep(at: string): StatusError {
  return badRequest(
    `error decoding YAML: exceeded max depth (objects and arrays may nest ${MAX_NESTING_DEPTH} levels)${at}`,
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function refused(error: YAMLError, text: string): StatusError {
  const message = firstLine(error.message);
  if (/Maximum call stack size exceeded/.test(message)) return tooDeep(at(text, error.pos[0]));
  return badRequest(`error decoding YAML: ${message}${at(text, error.pos[0])}`);
}

/** The one document of a YAML body, as JSON. */
export function parseYamlBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  const problem = yamlShapeProblem(text);
  if (problem?.kind === 'deep')
    throw badRequest(
      `error decoding YAML: exceeded max depth (YAML objects and arrays may nest ${MAX_YAML_DEPTH} levels)${at(text, problem.offset)}`,
    );
  if (problem?.kind === 'aliases')
    throw badRequest(`error decoding YAML: more than ${MAX_YAML_ALIASES} aliases${at(text, problem.offset)}`);
  if (problem?.kind === 'large')
    throw badRequest(
      `error decoding YAML: more than ${MAX_YAML_VALUES} values${at(text, problem.offset)} (YAML bodies may hold ${MAX_YAML_VALUES}; send larger objects as JSON)`,
    );
  if (problem?.kind === 'documents')
    throw badRequest(
      `error decoding YAML: the body holds more than one document; send one (the second starts${at(text, problem.offset)})`,
    );
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    // Duplicate keys are looked for below, in linear time.
    docs = parseAllDocuments(text, { ...MANIFEST_YAML_OPTIONS, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep('');
    throw error;
  }
  if (docs.length > 1) {
    throw badRequest(
      `error decoding YAML: the body holds ${docs.length} documents; send one (the second starts${at(text, docs[1]?.range?.[0] ?? 0)})`,
    );
  }
  const doc = docs[0];
  if (!doc) throw badRequest('error decoding YAML: the body holds no document');
  const error = doc.errors[0];
  if (error) throw refused(error, text);
  const duplicate = firstDuplicateKey(doc);
  if (duplicate)
    throw badRequest(
      `error decoding YAML: Map keys must be unique (${JSON.stringify(duplicate.key)})${at(text, duplicate.offset)}`,
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep('');
    throw badRequest(`error decoding YAML: ${firstLine((e as Error).message)}`);
  }
  if (nestingDepth(value) > MAX_NESTING_DEPTH) throw tooDeep('');
  return value;
}
