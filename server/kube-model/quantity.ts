/**
 * Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1G`, `1e3`): their
 * syntax, as the API server accepts it, and their value as plain numbers.
 */

const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A resource quantity such as `500m`, `128Mi`, `1.5`, `2e3` (a finite number is one too). */
export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && QUANTITY.test(value);
}

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY_PARTS = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/;

/**
 * Quantities read so far: manifests and pods repeat a few (`100m`, `128Mi`), and the
 * match allocated an array and two strings each time. Cleared when it grows past
 * `MAX_KNOWN` (any text may be given: the map stays small whatever the input).
 */
const known = new Map<string, number>();
const MAX_KNOWN = 512;

/** The quantity's value in base units (cores, bytes, count); NaN when it is not a quantity. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const seen = known.get(value);
  if (seen !== undefined) return seen;
  const m = QUANTITY_PARTS.exec(value.trim());
  const factor = m ? SUFFIX[m[2]!] : undefined;
  const n = m && factor !== undefined ? Number(m[1]) * factor : NaN;
  if (value.length <= 64) {
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(value, n);
  }
  return n;
}

/** CPU in millicores, rounded up as Kubernetes does. */
export function milliCpu(value: unknown): number {
  const n = parseQuantity(value);
  return Number.isNaN(n) ? 0 : Math.ceil(n * 1000 - 1e-9);
}

export function bytes(value: unknown): number {
  const n = parseQuantity(value);
  return Number.isNaN(n) ? 0 : Math.ceil(n);
}
