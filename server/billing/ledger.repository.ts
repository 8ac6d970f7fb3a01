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

/**
 * The balance row (undefined while the account has none) and what active
 * reservations hold, read by one statement: one snapshot, so a settlement
 * committing meanwhile shows either both its charge and its release or neither.
 */
export async function balanceAndHeld(db: Database, accountId: string): Promise<{ row: AccountBalanceRow | undefined; heldMinor: number }> {
  const { rows } = await sql<{ account_id: string | null; balance_minor: string | number | null; currency: string | null; updated_at: Date | null; held: string | number }>`
    select b.account_id, b.balance_minor, b.currency, b.updated_at,
           (select coalesce(sum(reserved_minor), 0) from call_reservations
             where account_id = ${accountId} and released_at is null)::bigint as held
      from (select 1) as one
      left join account_balances b on b.account_id = ${accountId}`.execute(db);
  const found = rows[0]!;
  const row = found.account_id === null
    ? undefined
    : { account_id: found.account_id, balance_minor: Number(found.balance_minor), currency: found.currency!, updated_at: found.updated_at! };
  return { row, heldMinor: Number(found.held) };
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
/** Releases reservations older than max_seconds + grace (their CDR never came); the number released. */
export async function releaseStaleReservations(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const result = await db
    .updateTable('call_reservations')
    .set({ released_at: now })
    .where('released_at', 'is', null)
    .where(sql<boolean>`created_at + make_interval(secs => max_seconds + ${graceSeconds}) < ${now}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function releaseReservation(trx: Database, callUuid: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('call_reservations')
    .set({ released_at: at })
    .where('call_uuid', '=', callUuid)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** One authorization's request to reserve_calls (see its migration, 20261123T2100_authorize_batch.sql). */
export interface ReserveRequest {
  call_uuid: string;
  account_id: string;
  subaccount_id: string | null;
  currency: string;
  /** the reservation wanted: the charge of the longest call allowed, and its length */
  reserved_minor: number;
  max_seconds: number;
  /** the charge of the shortest call: funds below it refuse the call */
  least_minor: number;
}

export type ReserveOutcome =
  | { outcome: 'reserved' }
  | { outcome: 'refused' }
  | { outcome: 'deferred' }
  | { outcome: 'no_balance' }
  | { outcome: 'raced' }
  | { outcome: 'short'; availableMinor: number }
  | { outcome: 'currency'; currency: string }
  | { outcome: 'existing'; existing: Pick<CallReservationRow, 'account_id' | 'max_seconds' | 'reserved_minor'> & { released: boolean } };

/**
 * One statement for a whole batch of authorizations: for each request, in
 * order, under its balance row's lock, the funds are checked and the
 * reservation written (reserve_calls); one result per request, in order.
 */
export async function reserveCalls(db: Database, requests: readonly ReserveRequest[]): Promise<ReserveOutcome[]> {
  const column = <K extends keyof ReserveRequest>(key: K) => requests.map((r) => r[key]);
  const { rows } = await sql<{
    r_outcome: string; r_currency: string | null; r_available_minor: string | number | null;
    r_account_id: string | null; r_released: boolean | null; r_max_seconds: number | null; r_reserved_minor: string | number | null;
  }>`select * from reserve_calls(${column('call_uuid')}::uuid[], ${column('account_id')}::uuid[], ${column('subaccount_id')}::uuid[],
       ${column('currency')}::text[], ${column('reserved_minor')}::bigint[], ${column('max_seconds')}::int[], ${column('least_minor')}::bigint[])`.execute(db);
  return rows.map((row): ReserveOutcome => {
    switch (row.r_outcome) {
      case 'short':
        return { outcome: 'short', availableMinor: Number(row.r_available_minor) };
      case 'currency':
        return { outcome: 'currency', currency: row.r_currency! };
      case 'existing':
        return {
          outcome: 'existing',
          existing: { account_id: row.r_account_id!, released: row.r_released!, max_seconds: row.r_max_seconds!, reserved_minor: Number(row.r_reserved_minor) },
        };
      default:
        return { outcome: row.r_outcome } as ReserveOutcome;
    }
  });
}
