// Search patterns for the lists' `q` filters.

/** An ILIKE/LIKE pattern matching `text` anywhere, with its own %, _ and \ taken literally. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
