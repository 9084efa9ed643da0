/** A typed array twice as long holding `list`'s values first: how `validate`'s compact stores grow. */
export function doubled<T extends Uint8Array | Uint32Array | Float64Array>(list: T): T {
  const out = new (list.constructor as new (length: number) => T)(list.length * 2);
  out.set(list);
  return out;
}
