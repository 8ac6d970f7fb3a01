// SQL for what the API shows of an account's money: the balance's currency,
// ledger pages, and subaccount credit limits.
import type { Database, LedgerEntryRow } from '../db/index.js';
import type { LedgerFilter } from './charging.schemas.js';

export async function balanceCurrency(db: Database, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('account_balances').select('currency').where('account_id', '=', accountId).executeTakeFirst();
  return row?.currency;
}

export async function ledgerPage(db: Database, accountId: string, filter: LedgerFilter, onlySubaccount?: string | null) {
  let query = db.selectFrom('ledger_entries').where('account_id', '=', accountId);
  const sub = onlySubaccount === undefined ? filter.subaccountId : onlySubaccount;
  if (sub !== undefined) query = sub === null ? query.where('subaccount_id', 'is', null) : query.where('subaccount_id', '=', sub);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as LedgerEntryRow[], total: Number(total.n) };
}

export async function subaccountOf(db: Database, accountId: string, subaccountId: string) {
  return db.selectFrom('subaccounts').select('id').where('account_id', '=', accountId).where('id', '=', subaccountId).executeTakeFirst();
}

export async function setCreditLimit(trx: Database, subaccountId: string, limitMinor: number | null): Promise<void> {
  if (limitMinor === null) {
    await trx.deleteFrom('subaccount_credit_limits').where('subaccount_id', '=', subaccountId).execute();
    return;
  }
  await trx
    .insertInto('subaccount_credit_limits')
    .values({ subaccount_id: subaccountId, limit_minor: limitMinor })
    .onConflict((oc) => oc.column('subaccount_id').doUpdateSet({ limit_minor: limitMinor }))
    .execute();
}
