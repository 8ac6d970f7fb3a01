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

/** What one round trip of reserveIfCovered saw, under the balance row's lock, and whether it reserved. */
export interface ReserveAttempt {
  currency: string;
  /** balance − active reservations, within the subaccount's credit limit (as availableMinor in authorization.ts) */
  availableMinor: number;
  /** this call's reservation made before; nothing was reserved now */
  existing: Pick<CallReservationRow, 'account_id' | 'released_at' | 'max_seconds' | 'reserved_minor'> | undefined;
  reserved: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One round trip: locks the account's balance row FOR UPDATE, then — in a
 * second statement, whose snapshot sees every reservation committed before the
 * lock was granted — reads this call's reservation and the available funds and
 * inserts the reservation when the balance is in `currency`, the call has none
 * and the funds cover `reserved_minor` (and are below `below_minor`). Both statements are one implicit
 * transaction (several statements in one simple query), so the lock is held
 * from the check to the insert; one statement would not do: its snapshot is
 * taken before it waits for the lock. Values are inlined (the simple protocol
 * takes no parameters), so only UUIDs, whole numbers and currency codes go in:
 * undefined when a value is not one, or when the account has no balance row —
 * the caller takes the transaction path then.
 */
export async function reserveIfCovered(
  db: Database,
  row: {
    call_uuid: string; account_id: string; subaccount_id: string | null; currency: string; reserved_minor: number; max_seconds: number;
    /** reserve only while the available funds are below this too (null: no bound) */
    below_minor: number | null;
  },
): Promise<ReserveAttempt | undefined> {
  const ids = [row.call_uuid, row.account_id, ...(row.subaccount_id === null ? [] : [row.subaccount_id])];
  if (!ids.every((id) => UUID.test(id)) || !/^[A-Z]{3}$/.test(row.currency)) return undefined;
  const numbers = [row.reserved_minor, row.max_seconds, ...(row.below_minor === null ? [] : [row.below_minor])];
  if (!numbers.every((n) => Number.isSafeInteger(n))) return undefined;
  const below = row.below_minor === null ? sql`` : sql`and funds.available < ${sql.lit(row.below_minor)}`;
  const call = sql.lit(row.call_uuid);
  const account = sql.lit(row.account_id);
  const sub = row.subaccount_id === null ? sql`null` : sql.lit(row.subaccount_id);
  const { rows } = await sql<{
    currency: string; available: string | number; inserted: number;
    account_id: string | null; released_at: Date | null; max_seconds: number | null; reserved_minor: string | number | null;
  }>`
    select 1 from account_balances where account_id = ${account} for update;
    with funds as (
      select b.currency, least(
               b.balance_minor - (select coalesce(sum(reserved_minor), 0) from call_reservations
                                   where account_id = ${account} and released_at is null),
               (select l.limit_minor - (select coalesce(sum(reserved_minor), 0) from call_reservations
                                         where account_id = ${account} and subaccount_id = l.subaccount_id and released_at is null)
                  from subaccount_credit_limits l where l.subaccount_id = ${sub}::uuid)
             )::bigint as available
        from account_balances b where b.account_id = ${account}
    ), existing as (
      select account_id, released_at, max_seconds, reserved_minor from call_reservations where call_uuid = ${call}
    ), inserted as (
      insert into call_reservations (call_uuid, account_id, subaccount_id, reserved_minor, max_seconds, released_at)
      select ${call}::uuid, ${account}::uuid, ${sub}::uuid, ${sql.lit(row.reserved_minor)}::bigint, ${sql.lit(row.max_seconds)}::int, null
        from funds
       where funds.currency = ${sql.lit(row.currency)} and funds.available >= ${sql.lit(row.reserved_minor)} ${below}
         and not exists (select 1 from existing)
      on conflict (call_uuid) do nothing
      returning 1
    )
    select f.currency, f.available, (select count(*) from inserted)::int as inserted,
           e.account_id, e.released_at, e.max_seconds, e.reserved_minor
      from funds f left join existing e on true`.execute(db);
  const found = rows[0];
  if (!found) return undefined;
  return {
    currency: found.currency,
    availableMinor: Number(found.available),
    existing: found.account_id === null ? undefined : {
      account_id: found.account_id,
      released_at: found.released_at,
      max_seconds: Number(found.max_seconds),
      reserved_minor: Number(found.reserved_minor),
    },
    reserved: Number(found.inserted) === 1,
  };
}
