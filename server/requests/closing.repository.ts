// SQL for closing cancelled accounts at the end of their period.
import type { Database } from '../db/index.js';

/** Sets the account's closing time; returns the one it had. */
export async function setClosesAt(trx: Database, accountId: string, at: Date): Promise<Date | null | undefined> {
  const before = await trx.selectFrom('accounts').select('closes_at').where('id', '=', accountId).forUpdate().executeTakeFirst();
  await trx.updateTable('accounts').set({ closes_at: at, updated_at: new Date() }).where('id', '=', accountId).execute();
  return before?.closes_at;
}

/** Closes the accounts due at `now` in one statement; returns their ids. */
export async function closeDue(trx: Database, now: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('accounts')
    .set({ status: 'closed', updated_at: now })
    .where('closes_at', '<=', now)
    .where('status', '<>', 'closed')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
