// SQL for calls at the edge: which bindings ring, and the calls in progress
// that count against an account's trunk limits.
import { sql } from 'kysely';
import type { Database, RegistrationRow } from '../db/index.js';
import { type CallDirection, type TrunkLimits, trunkAdmits } from './trunks.js';

/** A call unseen for this long belonged to a process that died; it no longer counts. */
export const STALE_CALL_SECONDS = 120;

/** The device (of this account, with a line on this subaccount) whose MAC the REGISTER revealed. */
export async function deviceForBinding(db: Database, accountId: string, subaccountId: string, macs: string[]): Promise<string | null> {
  if (macs.length === 0) return null;
  const row = await db
    .selectFrom('devices as d')
    .innerJoin('device_lines as l', 'l.device_id', 'd.id')
    .select('d.id')
    .where('d.account_id', '=', accountId)
    .where('l.subaccount_id', '=', subaccountId)
    .where('d.mac', 'in', macs)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Bindings that ring for an incoming call: softphones (no device) and devices whose line rings. */
export function ringingBindings(db: Database, subaccountId: string, now: Date): Promise<RegistrationRow[]> {
  return db
    .selectFrom('registrations as r')
    .selectAll('r')
    .where('r.subaccount_id', '=', subaccountId)
    .where('r.expires_at', '>', now)
    .where((eb) =>
      eb.or([
        eb('r.device_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('device_lines as l')
            .select('l.line_no')
            .whereRef('l.device_id', '=', 'r.device_id')
            .where('l.subaccount_id', '=', subaccountId)
            .where('l.ring', '=', true),
        ),
      ]),
    )
    .orderBy('r.created_at')
    .execute();
}

/**
 * Counts the call against the account's trunks if they have room — under a
 * lock on the account row, so concurrent calls on any process cannot overbook.
 */
export async function admitCall(db: Database, call: { callId: string; accountId: string; direction: CallDirection }, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['trunks_inbound', 'trunks_outbound', 'trunks_twoway'])
      .where('id', '=', call.accountId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const limits: TrunkLimits = { inbound: account.trunks_inbound, outbound: account.trunks_outbound, twoWay: account.trunks_twoway };
    const { rows } = await sql<{ direction: CallDirection; n: number }>`
      select direction, count(*)::int as n from active_calls
       where account_id = ${call.accountId} and seen_at > ${new Date(now.getTime() - STALE_CALL_SECONDS * 1000)}
       group by direction`.execute(trx);
    const usage = { inbound: 0, outbound: 0 };
    for (const r of rows) usage[r.direction] = r.n;
    if (!trunkAdmits(limits, usage, call.direction)) return false;
    await trx
      .insertInto('active_calls')
      .values({ call_id: call.callId, account_id: call.accountId, direction: call.direction, started_at: now, seen_at: now })
      .onConflict((oc) => oc.column('call_id').doUpdateSet({ seen_at: now }))
      .execute();
    return true;
  });
}

export async function endCall(db: Database, callId: string): Promise<void> {
  await db.deleteFrom('active_calls').where('call_id', '=', callId).execute();
}

export async function touchCalls(db: Database, callIds: string[], now: Date): Promise<void> {
  if (callIds.length === 0) return;
  await db.updateTable('active_calls').set({ seen_at: now }).where('call_id', 'in', callIds).execute();
}

/** The account a DID belongs to, from the digits a carrier sent (with or without +). */
export async function numberOwner(db: Database, dialed: string): Promise<{ accountId: string; e164: string } | undefined> {
  const digits = dialed.replace(/^\+/, '');
  if (!/^[1-9][0-9]{1,14}$/.test(digits)) return undefined;
  const row = await db.selectFrom('phone_numbers').select(['account_id', 'e164']).where('e164', '=', `+${digits}`).executeTakeFirst();
  return row && { accountId: row.account_id, e164: row.e164 };
}

/** Current bindings of a provisioned device (tied by MAC at REGISTER time). */
export function bindingsOfDevice(db: Database, deviceId: string, now: Date): Promise<RegistrationRow[]> {
  return db.selectFrom('registrations').selectAll().where('device_id', '=', deviceId).where('expires_at', '>', now).execute();
}
