/**
 * The live object cut down to the fields a manifest sets, so a diff between
 * the two shows what applying would change and not every server default.
 */
type Json = unknown;

const isMap = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function projectOnto(live: Json, desired: Json): Json {
  if (isMap(desired) && isMap(live)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(desired)) if (key in live) out[key] = projectOnto(live[key], desired[key]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    const wanted = desired as Json[];
    return (live as Json[]).map((item, i) => {
      const match =
        isMap(item) && typeof item.name === 'string' ? wanted.find((d) => isMap(d) && d.name === item.name) : wanted[i];
      return match === undefined ? item : projectOnto(item, match);
    });
  }
  return live;
}
