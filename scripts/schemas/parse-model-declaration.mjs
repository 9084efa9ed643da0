// Reads what only the `.d.ts` of a model says: the class description, each
// property's description, and whether the property is required (`'name': T`)
// or optional (`'name'?: T`).
const CLASS_DOC = /^\/\*\*\n\* ?(.*)\n\*\/\nexport declare class /m;
const PROPERTY = /^(?: {4}\/\*\*\n {4}\* ?(.*)\n {4}\*\/\n)? {4}'([^']+)'(\??):/gm;

/** Undoes the string escaping the code generator applied to descriptions (`\'`, `\"`, `\\`). */
function unescape(text) {
  return text.replace(/\\(.)/g, '$1').trim();
}

/**
 * @param {string} text contents of a model's `.d.ts`
 * @returns {{ description?: string, properties: Map<string, { description?: string, required: boolean }> }}
 *   properties keyed by the TypeScript property name (the attribute map's `name`)
 */
export function parseModelDeclaration(text) {
  const classDoc = CLASS_DOC.exec(text);
  const properties = new Map();
  for (const [, doc, name, optional] of text.matchAll(PROPERTY)) {
    properties.set(name, { description: doc ? unescape(doc) : undefined, required: optional !== '?' });
  }
  return { description: classDoc ? unescape(classDoc[1]) : undefined, properties };
}
