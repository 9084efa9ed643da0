/**
 * The data of a ConfigMap/Secret generator entry (literals, files, envs), read by kz-patches'
 * generator-sources.ts, in the shape the renderer's runGenerators takes.
 */
import {
  parseEnvFile,
  parseFileSource,
  parseLiteral,
  readSource,
  SourceError,
  type Pair,
  type SourceProblem,
} from './generator-sources';
import { setOwn } from '../patch/json-value';
import { isObject, type JsonObject } from './resource';
import type { KustomizeHost } from './index';

export interface GeneratedData {
  data: Record<string, string>;
  errors: { message: string; field: string; index: number }[];
  sources: string[];
}

/** One source's pairs, or its error (kustomize's reading: generator-sources.ts). */
function pairsOf(read: () => Pair[], field: string, index: number, result: GeneratedData): Pair[] {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const missing = e.message.startsWith('cannot read file');
    result.errors.push({ field, index, message: missing ? `missing file: ${e.message}` : e.message });
    return [];
  }
}

/** The data of a generator entry: env files, then literals, then files, as kustomize reads them. */
export function generatorData(entry: JsonObject, host: KustomizeHost, dir: string): GeneratedData {
  const result: GeneratedData = { data: {}, errors: [], sources: [] };
  const put = (pairs: Pair[], field: string, index: number) => {
    for (const { key, value } of pairs) {
      if (Object.prototype.hasOwnProperty.call(result.data, key)) {
        result.errors.push({ field, index, message: `key '${key}' is set twice in this generator` });
      }
      setOwn(result.data, key, value); // a `__proto__` key is data
    }
  };
  const readFile = (file: string, field: SourceProblem['field'], index: number) => {
    const read = readSource(host, dir, file, { field, index });
    result.sources.push(read.path);
    return read.text;
  };
  const envs: [string, 'envs' | 'env', number][] = [
    ...(Array.isArray(entry['envs']) ? entry['envs'] : []).flatMap((f, i): [string, 'envs', number][] =>
      typeof f === 'string' ? [[f, 'envs', i]] : [],
    ),
    ...(typeof entry['env'] === 'string' ? [[entry['env'], 'env', 0] as [string, 'env', number]] : []),
  ];
  for (const [file, field, i] of envs)
    put(
      pairsOf(() => parseEnvFile(readFile(file, field, i)), field, i, result),
      field,
      i,
    );
  (Array.isArray(entry['literals']) ? entry['literals'] : []).forEach((lit, i) => {
    if (typeof lit === 'string')
      put(
        pairsOf(() => [parseLiteral(lit, i)], 'literals', i, result),
        'literals',
        i,
      );
  });
  (Array.isArray(entry['files']) ? entry['files'] : []).forEach((spec, i) => {
    if (typeof spec !== 'string') return;
    const read = () => {
      const { key, file } = parseFileSource(spec, i);
      return [{ key, value: readFile(file, 'files', i) }];
    };
    put(pairsOf(read, 'files', i, result), 'files', i);
  });
  return result;
}

export function optionsOf(value: unknown): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
} {
  const o = isObject(value) ? value : {};
  const strMap = (v: unknown) => {
    const out: Record<string, string> = {};
    if (isObject(v)) for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
    return out;
  };
  return {
    labels: strMap(o['labels']),
    annotations: strMap(o['annotations']),
    ...(typeof o['disableNameSuffixHash'] === 'boolean' ? { disableNameSuffixHash: o['disableNameSuffixHash'] } : {}),
    ...(typeof o['immutable'] === 'boolean' ? { immutable: o['immutable'] } : {}),
  };
}
