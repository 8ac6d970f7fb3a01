// One business change = one transaction; once it has committed, whoever caches
// what changed (the routing directory) is told, so calls see it at once.
import type { Database } from '../db/index.js';

export interface ChangeDeps {
  db: Database;
  /** called after each committed change that routing reads */
  onChange?: (() => void) | undefined;
}

export async function committedChange<T>(deps: ChangeDeps, work: (trx: Database) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(work);
  deps.onChange?.();
  return result;
}
