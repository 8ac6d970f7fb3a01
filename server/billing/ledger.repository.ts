// SQL for balances, the ledger and call reservations. Every function takes the
// transaction it runs in; the services in ledger.ts and authorization.ts open
// it and lock the account's balance row first.
import { type Insertable, sql } from 'kysely';
import type { AccountBalanceRow, CallReservationRow, Database, LedgerEntryRow, LedgerEntryTable } from '../db/index.js';

/**
 * Locks the account's balance row FOR UPDATE until the transaction ends,
 * creating it first when the account has none (balance 0 in `currency`):
 * every check-and-change of an account's funds goes through here, so they run
 * one after another. held_minor is what the account's calls in progress hold.
 */
export async function lockedBalance(trx: Database, accountId: string, currency: string): Promise<AccountBalanceRow> {
  const lock = () =>
    trx
      .selectFrom('account_balances')
      .select(['account_id', 'balance_minor', 'currency', 'updated_at', 'held_minor'])
      .where('account_id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
  let row = await lock();
  if (!row) {
    await trx
      .insertInto('account_balances')
      .values({ account_id: accountId, balance_minor: 0, currency })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    row = await lock();
  }
  if (!row) throw new Error(`no balance row for account ${accountId} after creating it`);
  return { ...row, balance_minor: Number(row.balance_minor), held_minor: Number(row.held_minor) };
}

/**
 * The balance row (undefined while the account has none) with what active
 * reservations hold (held_minor, on the same row: one read, so a settlement
 * committing meanwhile shows either both its charge and its release or neither).
 */
export async function balanceAndHeld(db: Database, accountId: string): Promise<{ row: AccountBalanceRow | undefined; heldMinor: number }> {
  const row = await db
    .selectFrom('account_balances')
    .select(['account_id', 'balance_minor', 'currency', 'updated_at', 'held_minor'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return { row: undefined, heldMinor: 0 };
  const held = Number(row.held_minor);
  return { row: { ...row, balance_minor: Number(row.balance_minor), held_minor: held }, heldMinor: held };
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

/** What one subaccount's unreleased reservations hold (the account's total is its balance row's held_minor). */
export async function subaccountHeldMinor(trx: Database, accountId: string, subaccountId: string): Promise<number> {
  const { rows } = await sql<{ held: string | number }>`
    select coalesce(sum(reserved_minor), 0)::bigint as held
      from call_reservations
     where account_id = ${accountId}
       and subaccount_id = ${subaccountId}
       and released_at is null`.execute(trx);
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

/**
 * Releases reservations older than max_seconds + grace (their CDR never came);
 * the number released. The accounts' balance rows are locked first, in account
 * order, and only those accounts' reservations are released (see releaseReservation).
 */
export async function releaseStaleReservations(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const stale = sql<boolean>`released_at is null and created_at + make_interval(secs => max_seconds + ${graceSeconds}) < ${now}`;
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('account_balances')
      .select('account_id')
      .where('account_id', 'in', trx.selectFrom('call_reservations').select('account_id').where(stale))
      .orderBy('account_id')
      .forUpdate()
      .execute();
    if (locked.length === 0) return 0;
    const result = await trx
      .updateTable('call_reservations')
      .set({ released_at: now })
      .where(stale)
      .where(sql<boolean>`account_id = any(${locked.map((row) => row.account_id)}::uuid[])`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

/**
 * Marks the call's reservation released; true when it was still held. The
 * account's balance row is locked first: a release changes its held_minor
 * (trigger), and every writer takes the balance row before reservation rows,
 * so a release never waits in a circle with a settlement or an authorization.
 */
export async function releaseReservation(trx: Database, callUuid: string, at: Date): Promise<boolean> {
  await sql`select 1 from account_balances
             where account_id = (select account_id from call_reservations where call_uuid = ${callUuid})
               for update`.execute(trx);
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
 * A column of the batch as a PostgreSQL array literal, `{a,b,NULL}`. Every
 * value needs no quoting: UUIDs (authorizeCall checks them before a request
 * joins a batch), ISO 4217 codes and integers. node-postgres would quote and
 * escape each element through several intermediate strings — a third of what
 * an authorization allocated, and each allocation brings the next scavenge
 * (which every request in flight waits for) closer.
 */
function arrayLiteral<K extends keyof ReserveRequest>(requests: readonly ReserveRequest[], key: K): string {
  let literal = '{';
  for (let i = 0; i < requests.length; i++) {
    const value = requests[i]![key];
    literal += (i === 0 ? '' : ',') + (value === null ? 'NULL' : String(value));
  }
  return literal + '}';
}

/**
 * One statement for a whole batch of authorizations: for each request, in
 * order, under its balance row's lock, the funds are checked and the
 * reservation written (reserve_calls); one result per request, in order.
 * A named prepared statement on PostgreSQL: parsed and planned once per connection.
 */
export async function reserveCalls(db: Database, requests: readonly ReserveRequest[]): Promise<ReserveOutcome[]> {
  const column = <K extends keyof ReserveRequest>(key: K) => arrayLiteral(requests, key);
  const { rows } = await sql<{
    r_outcome: string; r_currency: string | null; r_available_minor: string | number | null;
    r_account_id: string | null; r_released: boolean | null; r_max_seconds: number | null; r_reserved_minor: string | number | null;
  }>`/*prepare:reserve_calls*/ select * from reserve_calls(${column('call_uuid')}::uuid[], ${column('account_id')}::uuid[], ${column('subaccount_id')}::uuid[],
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
