import { setOwn } from '../patch/json-value';
import type { Node } from 'yaml';
import { isObject, type JsonObject } from './resource';
import { keySpanAt, spanAt, type JsonPath } from './yaml-spans';
import type { SourceSpan } from './index';

/** A parsed kustomization (or component) file, with the spans of its entries. */
export class Kustomization {
  constructor(
    readonly file: string,
    readonly dir: string,
    readonly value: JsonObject,
    private readonly root: Node | null,
  ) {}

  /** The span of the value at `path`, or its nearest ancestor. */
  span(path: JsonPath): SourceSpan {
    return spanAt(this.root, this.file, path);
  }

  /** The span of the key of the field at `path` (e.g. `images:`). */
  keySpan(path: JsonPath): SourceSpan {
    return keySpanAt(this.root, this.file, path);
  }

  get kind(): string {
    return typeof this.value['kind'] === 'string' ? this.value['kind'] : 'Kustomization';
  }

  string(field: string): string | undefined {
    const v = this.value[field];
    return typeof v === 'string' ? v : undefined;
  }

  list(field: string): unknown[] {
    const v = this.value[field];
    return Array.isArray(v) ? v : [];
  }

  /** A string-to-string map field; non-string values are rendered as kustomize does (their YAML text). */
  stringMap(field: string): Record<string, string> {
    const v = this.value[field];
    const out: Record<string, string> = {};
    if (!isObject(v)) return out;
    for (const [k, val] of Object.entries(v)) setOwn(out, k, typeof val === 'string' ? val : JSON.stringify(val));
    return out;
  }
}

/** Fields we render. Anything else known to kustomize that changes output is reported. */
export const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  replacements: 'replacements are not supported yet; the rendered output leaves them out',
  vars: 'vars are not supported; the rendered output leaves them out',
  helmCharts: 'helmCharts need helm and the network; not supported offline',
  helmGlobals: 'helmCharts need helm and the network; not supported offline',
  configurations: 'custom transformer configurations are not supported; the built-in field specs are used',
  crds: 'crds (custom name reference specs) are not supported; the built-in field specs are used',
  openapi: 'a custom openapi schema is not supported; the built-in merge metadata is used',
  sortOptions: 'sortOptions are not supported; the legacy order is used',
  buildMetadata: 'buildMetadata is not supported',
  nameReference: 'not supported',
};

export const PLUGIN_FIELDS = ['generators', 'transformers', 'validators'];
