// Child rows (members, options, ranges) are loaded for many parents in one
// query and handed back grouped by parent, keeping the query's order.
export function byParent<T>(rows: readonly T[], parentOf: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(parentOf(row));
    if (list) list.push(row);
    else map.set(parentOf(row), [row]);
  }
  return map;
}
