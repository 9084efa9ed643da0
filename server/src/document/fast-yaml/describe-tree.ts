import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';

/**
 * A plain description of a parsed document for differential tests: every
 * node's kind, range, flow flag and scalar details, the document's range,
 * errors and `toJS()` result.
 */
export function describeTree(doc: Document.Parsed): unknown {
  return {
    range: doc.range,
    errors: doc.errors.map((e) => [e.name, e.code, e.pos, e.message, e.linePos]),
    warnings: doc.warnings.length,
    docStart: doc.directives.docStart === true,
    js: doc.toJS() as unknown,
    tree: describeNode(doc.contents),
  };
}

function describeNode(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isMap(node)) {
    return {
      map: node.items.map((pair) => (isPair(pair) ? [describeNode(pair.key), describeNode(pair.value)] : 'not a pair')),
      range: node.range,
      flow: node.flow === true,
    };
  }
  if (isSeq(node)) return { seq: node.items.map(describeNode), range: node.range, flow: node.flow === true };
  if (isScalar(node)) {
    return {
      value: node.value,
      range: node.range,
      type: node.type,
      source: node.source,
      format: node.format,
      minFractionDigits: node.minFractionDigits,
      tag: node.tag,
    };
  }
  return { other: typeof node };
}
