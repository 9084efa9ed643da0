/**
 * The index of the last item for which `holds` is true, where it holds for a prefix of `items` (chunks in
 * file order asked "starts at or before this offset"): a binary search; -1 when it holds for none.
 */
export function lastIndexWhere<T>(items: readonly T[], holds: (item: T) => boolean): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (holds(items[mid]!)) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
