// SQL for call reservations whose CDR never came.
import { sql } from 'kysely';
import type { Database } from '../db/index.js';

/** Releases reservations older than max_seconds + grace; the number released. */
export async function staleReservations(db: Database, now: Date, graceSeconds: number): Promise<number> {
  const result = await db
    .updateTable('call_reservations')
    .set({ released_at: now })
    .where('released_at', 'is', null)
    .where(sql<boolean>`created_at + make_interval(secs => max_seconds + ${graceSeconds}) < ${now}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The seconds an authorization covered for this call, when one is held. */
export async function reservedSeconds(db: Database, callUuid: string): Promise<number | undefined> {
  const row = await db.selectFrom('call_reservations').select('max_seconds').where('call_uuid', '=', callUuid).executeTakeFirst();
  return row?.max_seconds;
}

/** Releases a call's reservation without charging (a call charging does not rate). */
export async function releaseUncharged(db: Database, callUuid: string, now: Date): Promise<void> {
  await db.updateTable('call_reservations').set({ released_at: now }).where('call_uuid', '=', callUuid).where('released_at', 'is', null).execute();
}
