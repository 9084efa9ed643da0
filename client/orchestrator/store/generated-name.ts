/** Names for `metadata.generateName`, as Kubernetes makes them. */
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** `prefix` + 5 random characters, as Kubernetes' generateName. */
export function generatedName(prefix: string): string {
  let s = prefix;
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}
