import type { Location, Position, Range } from 'vscode-languageserver-types';

/** Whether a position lies inside a range (both ends inclusive, as a cursor at a word's end still touches it). */
export function contains(range: Range | undefined, position: Position): boolean {
  if (!range) return false;
  const { start, end } = range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  if (position.line === end.line && position.character > end.character) return false;
  return true;
}

/** Locations without repeats, in the order first seen. */
export function uniqueLocations(locations: readonly Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.uri}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
