import type { Document } from 'yaml';
import { plainNodeView } from '../document/plain-node-view.js';
import { plainParse } from '../document/plain-parse.js';
import type { PlainMap } from '../document/plain-parse.js';
import { RULES } from '../rules/index.js';
import type { RuleContext } from '../rules/rule.js';
import { PlainSchemaCheck } from '../validation/plain-schema-check.js';
import { customResourceRoot } from './custom-resource-root.js';
import type { ChunkFindings, DiagnosticsOptions } from './diagnostics.js';

/** `KUBE_WORKBENCH_NO_PLAIN_PASS=1` checks every chunk through its nodes (for the differential tests and benches). */
let enabled = process.env.KUBE_WORKBENCH_NO_PLAIN_PASS !== '1';

/** Turns the plain-value pass on or off in this thread (tests compare both). */
export function setPlainPass(on: boolean): void {
  enabled = on;
}

/** What a chunk of one manifest without any finding gives: no diagnostics, and a typed object. */
const NOTHING: ChunkFindings = { relative: [], untyped: { manifest: true, diagnostics: [] } };

/**
 * The optimistic pass: most documents have no finding, and saying so needs
 * neither nodes nor ranges. The chunk is read as plain values (`plainParse`),
 * checked against its schema (`PlainSchemaCheck`) and by every rule through a
 * context whose reports only mark the chunk. `NOTHING` when the chunk is one
 * manifest (not a list) and nothing was reported; `undefined` when the pass
 * cannot tell (it bailed, a rule or the schema reported, something threw): the
 * caller then parses the chunk into nodes and checks it as before, which says
 * what and exactly where.
 */
export function plainChunkFindings(text: string, options: DiagnosticsOptions): ChunkFindings | undefined {
  if (!enabled) return undefined;
  const root = plainParse(text);
  if (!root) return undefined;
  const apiVersion = root.apiVersion;
  const kind = root.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  // A list's items are checked as manifests of their own, with their positions: the node path does that.
  if (kind.endsWith('List') && Object.prototype.hasOwnProperty.call(root, 'items')) return undefined;
  try {
    return checkManifest(root, apiVersion, kind, options) ? NOTHING : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a manifest passes its schema and every rule (`checkManifest` of diagnostics.ts, reports as a flag). */
function checkManifest(root: PlainMap, apiVersion: string, kind: string, options: DiagnosticsOptions): boolean {
  const builtIn = options.schemas.schemaFor(apiVersion, kind);
  const custom = builtIn ? undefined : options.crds.lookup(apiVersion, kind);
  const schema = builtIn ?? (custom ? customResourceRoot(custom.schema) : undefined);
  if (schema) {
    const check = new PlainSchemaCheck(options.schemas.resolver, custom !== undefined, options.asPatch === true);
    if (!check.clean(root, schema)) return false;
  }
  if (options.asPatch === true) return true;
  let reported = false;
  const ctx: RuleContext = {
    // The rules read the document through node() and value() only.
    doc: undefined as unknown as Document.Parsed,
    apiVersion,
    kind,
    schemas: options.schemas,
    node: (path) => plainNodeView(valueAt(root, path)),
    value: (path) => valueAt(root, path),
    report: () => {
      reported = true;
    },
  };
  for (const rule of RULES) {
    if (options.disabledRules.has(rule.id)) continue;
    // A rule that throws is left to the node path, which logs it and reports the rest.
    rule.check(ctx);
    if (reported) return false;
  }
  return true;
}

/** The value at a path as `valueAt` of node-at.ts reads it: own keys (`String` of the segment), list indexes. */
function valueAt(root: PlainMap, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (let i = 0; i < path.length; i++) {
    // An empty value (`null`) has no fields: only the last segment may name it.
    if (current === null) return undefined;
    const segment = path[i] as string | number;
    if (Array.isArray(current)) {
      if (typeof segment !== 'number') return undefined;
      current = current[segment];
    } else if (typeof current === 'object') {
      const name = String(segment);
      if (!Object.prototype.hasOwnProperty.call(current, name)) return undefined;
      current = (current as PlainMap)[name];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
