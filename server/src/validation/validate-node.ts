import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { JsonSchema, JsonType, SchemaResolver } from '../../kube-model/json-schema.js';
import { isQuantity } from '../../kube-model/quantity.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { INT32_MAX, INT32_MIN, isBase64 } from './scalar-formats.js';
import { planIn, planTable } from './schema-plan.js';
import type { PlanTable, SchemaPlan } from './schema-plan.js';
import { renderPath } from './schema-problem.js';
import type { PathSegment, SchemaProblem } from './schema-problem.js';
import { closestMatch } from './suggest.js';
import {
  describeNode,
  describeTypes,
  distinctKeys,
  firstKey,
  hasKey,
  isMergeKey,
  isNullValue,
  matchesSome,
  matchesType,
  ownValue,
  safeTest,
} from './yaml-node-shape.js';

const MAX_DEPTH = 200;

/** Aliases followed per document: a "billion laughs" document stops here instead of exploding. */
const ALIAS_BUDGET = 10_000;

/**
 * Checks a YAML node against a JSON Schema, the way the API server with strict
 * field validation reads the same object: unknown fields, missing required
 * fields, wrong types, values outside an enum, malformed formats. Works
 * directly on the YAML tree so every problem keeps the node it came from.
 *
 * The walk allocates only for findings: `path` is one stack pushed and popped
 * on the way down (copied into a problem when one is reported), messages and
 * rendered paths are built only when reported, and what each schema object
 * resolves to, and the keywords the walk reads, are worked out once (`SchemaPlan`).
 */
export class NodeValidator {
  readonly problems: SchemaProblem[] = [];
  private readonly plans: PlanTable;

  constructor(
    private readonly doc: Document.Parsed | Document,
    private readonly resolver: SchemaResolver,
    private readonly kind: string,
    private readonly budget = { aliases: ALIAS_BUDGET },
    /** Structural (CRD) schemas: an object with `properties` and no `additionalProperties` is closed. */
    private readonly closedByDefault = false,
    /**
     * A strategic merge patch (kustomize's patch files): no field is required, and the
     * patch directives (`$patch`, `$setElementOrder/…`, `$retainKeys`, …) are not fields.
     */
    private readonly partial = false,
  ) {
    this.plans = planTable(resolver);
  }

  /** `path` is used as a stack: it is the same, element for element, when this returns. */
  validate(node: unknown, schema: JsonSchema, path: PathSegment[], anchor: Node | undefined, depth = 0): void {
    if (depth > MAX_DEPTH) return;
    const plan = planIn(this.plans, this.resolver, schema);
    const target = this.deref(node);
    if (target === null || (isScalar(target) && target.value === null)) {
      // An explicit empty value (`spec:`) decodes to an empty object: its required fields are missing.
      if (anchor && plan.properties && plan.required && !this.partial) {
        const required = plan.required;
        for (let i = 0; i < required.length; i++) {
          const name = required[i] as string;
          this.report(
            DiagnosticCode.missingRequired,
            `missing required field \`${name}\` in ${renderPath(this.kind, path)}`,
            anchor,
            [...path, name],
          );
        }
      }
      return;
    }

    if (plan.union) {
      if (!this.validateUnion(target, plan.union, path, anchor, depth)) return;
    }
    const allOf = plan.allOf;
    if (allOf) for (let i = 0; i < allOf.length; i++) this.validate(target, allOf[i]!, path, anchor, depth + 1);

    const types = plan.types;
    if (types && !matchesSome(target, types)) {
      if (plan.intOrString && (matchesType(target, 'integer') || matchesType(target, 'string'))) {
        // int-or-string with a narrowed type: either is fine.
      } else {
        this.report(
          DiagnosticCode.wrongType,
          `${renderPath(this.kind, path)} must be ${describeTypes(types)}, not ${describeNode(target)}`,
          isScalar(target) ? target : anchor,
          path,
        );
        return;
      }
    }

    if (isMap(target)) this.validateMap(target, plan, path, anchor, depth);
    else if (isSeq(target)) {
      if (plan.minItems !== undefined && target.items.length < plan.minItems) {
        this.report(
          DiagnosticCode.invalidValue,
          `${renderPath(this.kind, path)} needs at least ${plan.minItems} item(s)`,
          anchor,
          path,
        );
      }
      if (plan.maxItems !== undefined && target.items.length > plan.maxItems) {
        this.report(
          DiagnosticCode.invalidValue,
          `${renderPath(this.kind, path)} allows at most ${plan.maxItems} item(s)`,
          anchor,
          path,
        );
      }
      const itemSchema = plan.items;
      if (itemSchema) {
        const items = target.items;
        for (let index = 0; index < items.length; index++) {
          const item = items[index];
          const itemNode = this.deref(item);
          const itemAnchor = firstKey(itemNode) ?? (isScalar(itemNode) ? itemNode : anchor);
          path.push(index);
          this.validate(item, itemSchema, path, itemAnchor, depth + 1);
          path.pop();
        }
      }
    } else if (plan.scalarChecks && isScalar(target)) this.validateScalar(target.value, target, plan, path);
  }

  private validateUnion(
    target: Node,
    branches: readonly JsonSchema[],
    path: PathSegment[],
    anchor: Node | undefined,
    depth: number,
  ): boolean {
    const expected: JsonType[] = [];
    for (const branch of branches) {
      const probe = new NodeValidator(this.doc, this.resolver, this.kind, this.budget, this.closedByDefault);
      probe.validate(target, branch, path, anchor, depth + 1);
      if (probe.problems.length === 0) return true;
      const b = this.resolver.resolve(branch);
      if (b.type) expected.push(...(Array.isArray(b.type) ? b.type : [b.type]));
    }
    if (branches.length === 0) return true;
    const what = expected.length > 0 ? describeTypes(expected) : 'one of the allowed shapes';
    this.report(
      DiagnosticCode.wrongType,
      `${renderPath(this.kind, path)} must be ${what}, not ${describeNode(target)}`,
      isScalar(target) ? target : anchor,
      path,
    );
    return false;
  }

  private validateMap(
    map: YAMLMap,
    plan: SchemaPlan,
    path: PathSegment[],
    anchor: Node | undefined,
    depth: number,
  ): void {
    const properties = plan.properties ?? NO_PROPERTIES;
    const pairs = this.pairsOf(map);
    // Loops by index: the pass runs this code unoptimized, where `for...of` calls the array iterator per item.
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i] as Pair;
      const keyNode = isScalar(pair.key) ? pair.key : undefined;
      const key = keyNode ? String(keyNode.value) : String(pair.key);
      if (this.partial && key.startsWith('$')) continue;
      if (!(pair as { merged?: boolean }).merged) this.validatePair(pair, key, keyNode, plan, properties, path, depth);
    }
    // Which keys are present (merged ones included) is looked up only for required fields and a minimum count.
    const required = this.partial ? NO_NAMES : (plan.required ?? NO_NAMES);
    for (let i = 0; i < required.length; i++) {
      const name = required[i] as string;
      if (hasKey(pairs, name) && !isNullValue(this.deref(ownValue(map, name)))) continue;
      this.report(
        DiagnosticCode.missingRequired,
        `missing required field \`${name}\` in ${renderPath(this.kind, path)}`,
        anchor ?? firstKey(map),
        [...path, name],
      );
    }
    if (plan.minProperties !== undefined && distinctKeys(pairs) < plan.minProperties) {
      this.report(
        DiagnosticCode.invalidValue,
        `${renderPath(this.kind, path)} needs at least ${plan.minProperties} field(s)`,
        anchor,
        path,
      );
    }
  }

  private validatePair(
    pair: Pair,
    key: string,
    keyNode: Node | undefined,
    plan: SchemaPlan,
    properties: Record<string, JsonSchema>,
    path: PathSegment[],
    depth: number,
  ): void {
    // `Object.hasOwn`: one builtin call where `hasOwnProperty.call` is two in the unoptimized first pass.
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property) {
      path.push(key);
      this.validate(pair.value, property, path, keyNode, depth + 1);
      path.pop();
    } else if (plan.additional) {
      path.push(key);
      this.validate(pair.value, plan.additional, path, keyNode, depth + 1);
      path.pop();
    } else if (plan.closed || (this.closedByDefault && plan.closedIfStructural)) {
      const suggestion = closestMatch(key, Object.keys(properties));
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
      this.report(
        DiagnosticCode.unknownField,
        `unknown field \`${key}\` in ${renderPath(this.kind, path)}${hint}`,
        keyNode,
        [...path, key],
      );
    }
  }

  private validateScalar(value: unknown, node: Node, s: SchemaPlan, path: PathSegment[]): void {
    if (s.enum && !s.enum.some((allowed) => allowed === value)) {
      const options = s.enum.map(String);
      const suggestion = typeof value === 'string' ? closestMatch(value, options) : undefined;
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
      this.report(
        DiagnosticCode.invalidEnum,
        `\`${String(value)}\` is not a valid value for ${this.where(path)}; use one of ${options.join(', ')}${hint}`,
        node,
        path,
      );
      return;
    }
    if (s.format === 'quantity' && !isQuantity(value)) {
      this.report(
        DiagnosticCode.invalidQuantity,
        `\`${String(value)}\` is not a valid quantity for ${this.where(path)} (examples: 500m, 1.5, 128Mi, 2Gi)`,
        node,
        path,
      );
    } else if (s.format === 'byte' && typeof value === 'string' && !isBase64(value)) {
      this.report(
        DiagnosticCode.invalidBase64,
        `${this.where(path)} must be base64-encoded; put plain text under \`stringData\` instead`,
        node,
        path,
      );
    } else if (s.format === 'int32' && typeof value === 'number' && (value < INT32_MIN || value > INT32_MAX)) {
      this.report(DiagnosticCode.invalidValue, `${this.where(path)} is out of range for a 32-bit integer`, node, path);
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && (value < s.minimum || (s.exclusiveMinimum && value === s.minimum))) {
        this.report(DiagnosticCode.invalidValue, `${this.where(path)} must be at least ${s.minimum}`, node, path);
      }
      if (s.maximum !== undefined && (value > s.maximum || (s.exclusiveMaximum && value === s.maximum))) {
        this.report(DiagnosticCode.invalidValue, `${this.where(path)} must be at most ${s.maximum}`, node, path);
      }
    }
    if (typeof value === 'string') {
      if (s.minLength !== undefined && value.length < s.minLength)
        this.report(
          DiagnosticCode.invalidValue,
          `${this.where(path)} must be at least ${s.minLength} character(s) long`,
          node,
          path,
        );
      if (s.maxLength !== undefined && value.length > s.maxLength)
        this.report(
          DiagnosticCode.invalidValue,
          `${this.where(path)} must be at most ${s.maxLength} characters long`,
          node,
          path,
        );
      if (s.pattern !== undefined && !safeTest(s.pattern, value))
        this.report(
          DiagnosticCode.invalidValue,
          `\`${value}\` does not match the pattern ${s.pattern} required for ${this.where(path)}`,
          node,
          path,
        );
    }
  }

  /** Pairs of a map, with `<<` merge keys expanded (merged pairs are marked and not re-checked). */
  private pairsOf(map: YAMLMap): readonly Pair[] {
    const items = map.items;
    let merges = false;
    for (let i = 0; i < items.length; i++) if (isMergeKey(items[i] as Pair)) merges = true;
    if (!merges) return items;
    const out: Pair[] = [];
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        const source = this.deref(pair.value);
        const sources = isSeq(source) ? source.items.map((i) => this.deref(i as Node)) : [source];
        for (const m of sources)
          if (isMap(m)) for (const p of m.items) out.push(Object.assign(Object.create(p) as Pair, { merged: true }));
        continue;
      }
      out.push(pair);
    }
    return out;
  }

  private deref(node: unknown): Node | null {
    let current = node;
    for (let i = 0; i < 16 && isAlias(current); i++) {
      if (--this.budget.aliases < 0) return null;
      current = current.resolve(this.doc) ?? null;
    }
    if (isPair(current)) return null;
    return (current as Node | null) ?? null;
  }

  /** The path as a message names it; rendered only for a finding (most values have none). */
  private where(path: readonly PathSegment[]): string {
    return renderPath(this.kind, path);
  }

  /** `path` is copied: the walk keeps changing the array it was given. */
  private report(code: DiagnosticCode, message: string, node: Node | undefined, path: readonly PathSegment[]): void {
    this.problems.push({ code, message, node, path: path.slice() });
  }
}

const NO_PROPERTIES: Record<string, JsonSchema> = {};
const NO_NAMES: readonly string[] = [];
