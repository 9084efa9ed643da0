/**
 * Reading the API's JSON without trusting its shape: a field that is not the
 * type asked for reads as empty (`{}`, `[]`, `''`, `0`), so the tree and the
 * charts show what is there and never throw on what is not.
 */
export type Json = Record<string, unknown>;

/** A JSON object, or `{}`. */
export const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
/** A list of objects (each non-object item read as `{}`), or `[]`. */
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
