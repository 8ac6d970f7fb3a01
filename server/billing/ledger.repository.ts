// SQL for balances, the ledger and call reservations. Every function takes the
// transaction it runs in; the services in ledger.ts and authorization.ts open
// it and lock the account's balance row first.
import { type Insertable, sql } from 'kysely';
import type { AccountBalanceRow, CallReservationRow, Database, LedgerEntryRow, LedgerEntryTable } from '../db/index.js';

/**
 * Creates the account's balance row when it has none (balance 0 in `currency`),
 * then locks it FOR UPDATE until the transaction ends: every check-and-change
 * of an account's funds goes through here, so they run one after another.
 */
export async function lockedBalance(trx: Database, accountId: string, currency: string): Promise<AccountBalanceRow> {
  await trx
    .insertInto('account_balances')
    .values({ account_id: accountId, balance_minor: 0, currency })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('account_balances')
    .select(['account_id', 'balance_minor', 'currency', 'updated_at'])
    .where('account_id', '=', accountId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { ...row, balance_minor: Number(row.balance_minor) };
}

export async function balanceRow(db: Database, accountId: string): Promise<AccountBalanceRow | undefined> {
  const row = await db
    .selectFrom('account_balances')
    .select(['account_id', 'balance_minor', 'currency', 'updated_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && { ...row, balance_minor: Number(row.balance_minor) };
}

/**
 * The balance and what active reservations hold, read by ONE statement (one
 * snapshot): read apart, a settlement committing in between shows a released
 * reservation next to a balance not yet charged.
 */
export async function balanceAndHeld(db: Database, accountId: string): Promise<{ balanceMinor: number; currency: string | undefined; heldMinor: number }> {
  const { rows } = await sql<{ balance_minor: string | number | null; currency: string | null; held: string | number }>`
    select b.balance_minor, b.currency,
           (select coalesce(sum(reserved_minor), 0)::bigint
              from call_reservations
             where account_id = ${accountId} and released_at is null) as held
      from (select 1) as one
      left join account_balances b on b.account_id = ${accountId}`.execute(db);
  const row = rows[0]!;
  return { balanceMinor: Number(row.balance_minor ?? 0), currency: row.currency ?? undefined, heldMinor: Number(row.held) };
}

/** Adds `deltaMinor` to the (locked) balance; returns the new balance. */
export async function addToBalance(trx: Database, accountId: string, deltaMinor: number): Promise<number> {
  const row = await trx
    .updateTable('account_balances')
    .set({ balance_minor: sql<number>`balance_minor + ${deltaMinor}`, updated_at: new Date() })
    .where('account_id', '=', accountId)
    .returning('balance_minor')
    .executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

/**
 * Inserts a ledger entry; a call_charge for a call that already has one
 * inserts nothing and returns undefined (ON CONFLICT on call_uuid).
 */
export async function insertEntry(trx: Database, entry: Insertable<LedgerEntryTable>): Promise<LedgerEntryRow | undefined> {
  const row = await trx
    .insertInto('ledger_entries')
    .values(entry)
    .onConflict((oc) => oc.column('call_uuid').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && { ...row, id: Number(row.id), amount_minor: Number(row.amount_minor) };
}

/** The account's entries, newest first. */
export async function entriesOf(db: Database, accountId: string, limit = 100): Promise<LedgerEntryRow[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), amount_minor: Number(r.amount_minor) }));
}

/** The sum of the account's entries: what its balance must equal. */
export async function entriesTotal(db: Database, accountId: string): Promise<number> {
  const { rows } = await sql<{ total: string | number }>`
    select coalesce(sum(amount_minor), 0)::bigint as total from ledger_entries where account_id = ${accountId}`.execute(db);
  return Number(rows[0]!.total);
}

/** What the account's (or one subaccount's) unreleased reservations hold. */
export async function heldMinor(trx: Database, accountId: string, subaccountId?: string): Promise<number> {
  const { rows } = await sql<{ held: string | number }>`
    select coalesce(sum(reserved_minor), 0)::bigint as held
      from call_reservations
     where account_id = ${accountId}
       and released_at is null
       ${subaccountId === undefined ? sql`` : sql`and subaccount_id = ${subaccountId}`}`.execute(trx);
  return Number(rows[0]!.held);
}

export async function creditLimitOf(trx: Database, subaccountId: string): Promise<number | undefined> {
  const row = await trx
    .selectFrom('subaccount_credit_limits')
    .select('limit_minor')
    .where('subaccount_id', '=', subaccountId)
    .executeTakeFirst();
  return row ? Number(row.limit_minor) : undefined;
}

export async function reservationOf(trx: Database, callUuid: string): Promise<CallReservationRow | undefined> {
  const row = await trx
    .selectFrom('call_reservations')
    .selectAll()
    .where('call_uuid', '=', callUuid)
    .executeTakeFirst();
  return row && { ...row, reserved_minor: Number(row.reserved_minor) };
}

export async function insertReservation(
  trx: Database,
  row: { call_uuid: string; account_id: string; subaccount_id: string | null; reserved_minor: number; max_seconds: number },
): Promise<void> {
  await trx.insertInto('call_reservations').values({ ...row, released_at: null }).execute();
}

/** Marks the call's reservation released; true when it was still held. */
export async function releaseReservation(trx: Database, callUuid: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('call_reservations')
    .set({ released_at: at })
    .where('call_uuid', '=', callUuid)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
