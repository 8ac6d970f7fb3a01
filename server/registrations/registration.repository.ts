// SQL for bindings, the SIP identity lookup, nonce-counts and bans.
import { sql } from 'kysely';
import { MAX_NONCE_TTL_SECONDS } from '../config.js';
import type { Database, RegistrationRow } from '../db/index.js';
import type { BindingChange } from './bindings.js';

export interface SipIdentity {
  subaccountId: string;
  accountId: string;
  passwordEnc: string;
}

/** The subaccount a SIP user id in a realm stands for. */
export async function sipIdentity(db: Database, realm: string, user: string): Promise<SipIdentity | undefined> {
  const row = await db
    .selectFrom('subaccounts as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['s.id', 's.account_id', 's.sip_password_enc'])
    .where('a.realm', '=', realm.toLowerCase())
    .where('s.sip_user', '=', user)
    .where('a.status', '=', 'active')
    .executeTakeFirst();
  return row && { subaccountId: row.id, accountId: row.account_id, passwordEnc: row.sip_password_enc };
}

export interface Source {
  address: string;
  port: number;
  transport: string;
  userAgent: string;
  callId: string;
  cseq: number;
}

export async function applyBindingChanges(
  db: Database,
  who: { subaccountId: string; accountId: string },
  changes: BindingChange[],
  source: Source,
  now: Date,
): Promise<void> {
  for (const change of changes) {
    if (change.instanceId !== null) {
      // the same device (instance + reg-id) under a new Contact replaces its old binding
      await db
        .deleteFrom('registrations')
        .where('subaccount_id', '=', who.subaccountId)
        .where('instance_id', '=', change.instanceId)
        .where((eb) => (change.regId === null ? eb('reg_id', 'is', null) : eb('reg_id', '=', change.regId)))
        .where('contact', '<>', change.uri)
        .execute();
    }
    if (change.expiresSeconds === 0) {
      await db.deleteFrom('registrations').where('subaccount_id', '=', who.subaccountId).where('contact', '=', change.uri).execute();
      continue;
    }
    const values = {
      instance_id: change.instanceId,
      reg_id: change.regId,
      call_id: source.callId,
      cseq: source.cseq,
      source_address: source.address,
      source_port: source.port,
      transport: source.transport,
      user_agent: source.userAgent.slice(0, 255),
      expires_at: new Date(now.getTime() + change.expiresSeconds * 1000),
      device_id: change.deviceId ?? null,
    };
    await db
      .insertInto('registrations')
      .values({ subaccount_id: who.subaccountId, account_id: who.accountId, contact: change.uri, ...values })
      .onConflict((oc) => oc.constraint('uq_registrations__contact').doUpdateSet({ ...values, updated_at: now }))
      .execute();
  }
}

export async function removeAllBindings(db: Database, subaccountId: string): Promise<void> {
  await db.deleteFrom('registrations').where('subaccount_id', '=', subaccountId).execute();
}

export function currentBindings(db: Database, subaccountId: string, now: Date): Promise<RegistrationRow[]> {
  return db
    .selectFrom('registrations')
    .selectAll()
    .where('subaccount_id', '=', subaccountId)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute();
}

export async function countBindings(db: Database, subaccountId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subaccount_id', '=', subaccountId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function sweepExpired(db: Database, now: Date): Promise<number> {
  const removed = await db.deleteFrom('registrations').where('expires_at', '<=', now).executeTakeFirst();
  await emptyDeadNonceSlots(db, now);
  await db.deleteFrom('sip_auth_failures').where('at', '<', new Date(now.getTime() - 24 * 3600 * 1000)).execute();
  await db.deleteFrom('sip_bans').where('banned_until', '<=', now).execute();
  return Number(removed.numDeletedRows);
}

// Nonce-counts live in a ring of partitions, one per minute of the nonce's expiry
// (migration 20261125T0000_nonce_count_ring): a minute whose nonces have all
// expired is emptied whole, with TRUNCATE, instead of deleting rows one by one.
export const NONCE_SLOTS = 16;
const SLOT_MS = 60_000;
/** Processes' clocks may differ by this much; a slot is emptied only this long after its last nonce expired. */
const CLOCK_SKEW_MS = 60_000;

const minuteOf = (ms: number) => Math.floor(ms / SLOT_MS);

/** The ring slot of a nonce that expires at `expiresAt`. */
export function nonceSlot(expiresAt: Date): number {
  return minuteOf(expiresAt.getTime()) % NONCE_SLOTS;
}

/**
 * The slots that hold no live nonce-count and will receive none for a whole
 * lifetime: every slot but those of the minutes from (now - skew) to
 * (now + longest lifetime + skew), which are 13 of the 16.
 */
export function deadNonceSlots(now: Date): number[] {
  const live = new Set<number>();
  const from = minuteOf(now.getTime() - CLOCK_SKEW_MS);
  const to = minuteOf(now.getTime() + MAX_NONCE_TTL_SECONDS * 1000 + CLOCK_SKEW_MS);
  for (let minute = from; minute <= to; minute++) live.add(minute % NONCE_SLOTS);
  return Array.from({ length: NONCE_SLOTS }, (_, slot) => slot).filter((slot) => !live.has(slot));
}

/** Empties every dead slot that holds rows (TRUNCATE: no dead rows left for vacuum). */
async function emptyDeadNonceSlots(db: Database, now: Date): Promise<void> {
  const { rows } = await sql<{ slot: number }>`
    select s as slot from unnest(${deadNonceSlots(now)}::smallint[]) s
     where exists (select 1 from sip_nonce_counts n where n.slot = s)`.execute(db);
  for (const { slot } of rows) {
    await db.transaction().execute(async (trx) => {
      // Another process's sweep may hold it: wait a moment, then leave it to the next sweep.
      await sql`set local lock_timeout = '2s'`.execute(trx);
      await sql`truncate ${sql.table(`sip_nonce_counts_${Number(slot)}`)}`.execute(trx);
    });
  }
}

/** Records nonce-count `nc` for `nonce`; false when it is not higher than one seen before (a replay). */
export async function acceptNonceCount(db: Database, nonce: string, nc: number, expiresAt: Date): Promise<boolean> {
  const { rows } = await sql<{ nc: number }>`
    insert into sip_nonce_counts (slot, nonce, nc) values (${nonceSlot(expiresAt)}, ${nonce}, ${nc})
    on conflict (slot, nonce) do update set nc = excluded.nc
      where sip_nonce_counts.nc < excluded.nc
    returning nc`.execute(db);
  return rows.length === 1;
}

/** Records a failed authentication; returns how many this address had in the window. */
export async function recordAuthFailure(db: Database, address: string, now: Date, windowSeconds: number): Promise<number> {
  await db.insertInto('sip_auth_failures').values({ address, at: now }).execute();
  const row = await db
    .selectFrom('sip_auth_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('address', '=', address)
    .where('at', '>', new Date(now.getTime() - windowSeconds * 1000))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertBan(db: Database, address: string, reason: string, until: Date): Promise<void> {
  await db
    .insertInto('sip_bans')
    .values({ address, reason, banned_until: until })
    .onConflict((oc) => oc.column('address').doUpdateSet({ reason, banned_until: until }))
    .execute();
}

export function activeBans(db: Database, now: Date) {
  return db.selectFrom('sip_bans').selectAll().where('banned_until', '>', now).orderBy('created_at', 'desc').execute();
}

export async function liftBan(db: Database, address: string): Promise<boolean> {
  const result = await db.deleteFrom('sip_bans').where('address', '=', address).executeTakeFirst();
  await db.deleteFrom('sip_auth_failures').where('address', '=', address).execute();
  return Number(result.numDeletedRows) > 0;
}
