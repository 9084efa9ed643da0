/**
 * Temporary: the data of a ConfigMap/Secret generator entry (literals, files,
 * envs) until kz-patches' generateConfigMap/generateSecret land.
 */
import * as path from 'node:path';
import { isObject, type JsonObject } from './resource';
import type { KustomizeHost } from './index';

export interface GeneratedData {
  data: Record<string, string>;
  errors: { message: string; field: string; index: number }[];
  sources: string[];
}

function parseEnv(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq === -1) out.push([line.trim(), '']);
    else out.push([line.slice(0, eq).trim(), line.slice(eq + 1)]);
  }
  return out;
}

export function generatorData(entry: JsonObject, host: KustomizeHost, dir: string): GeneratedData {
  const result: GeneratedData = { data: {}, errors: [], sources: [] };
  const put = (key: string, value: string, field: string, index: number) => {
    if (Object.prototype.hasOwnProperty.call(result.data, key)) {
      result.errors.push({ field, index, message: `key '${key}' is set twice in this generator` });
    }
    result.data[key] = value;
  };
  const envs = [
    ...(Array.isArray(entry['envs']) ? entry['envs'] : []),
    ...(typeof entry['env'] === 'string' ? [entry['env']] : []),
  ];
  envs.forEach((file, i) => {
    if (typeof file !== 'string') return;
    const abs = path.resolve(dir, file);
    const text = host.readFile(abs);
    if (text === undefined) return result.errors.push({ field: 'envs', index: i, message: `missing file ${file}` });
    result.sources.push(abs);
    for (const [k, v] of parseEnv(text)) put(k, v, 'envs', i);
    return undefined;
  });
  const literals = Array.isArray(entry['literals']) ? entry['literals'] : [];
  literals.forEach((lit, i) => {
    if (typeof lit !== 'string') return;
    const eq = lit.indexOf('=');
    if (eq <= 0)
      return result.errors.push({ field: 'literals', index: i, message: `literal '${lit}' is not key=value` });
    let value = lit.slice(eq + 1);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
    }
    put(lit.slice(0, eq), value, 'literals', i);
    return undefined;
  });
  const files = Array.isArray(entry['files']) ? entry['files'] : [];
  files.forEach((spec, i) => {
    if (typeof spec !== 'string') return;
    const eq = spec.indexOf('=');
    const key = eq === -1 ? path.basename(spec) : spec.slice(0, eq);
    const file = eq === -1 ? spec : spec.slice(eq + 1);
    const abs = path.resolve(dir, file);
    const text = host.readFile(abs);
    if (text === undefined) return result.errors.push({ field: 'files', index: i, message: `missing file ${file}` });
    result.sources.push(abs);
    put(key, text, 'files', i);
    return undefined;
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
