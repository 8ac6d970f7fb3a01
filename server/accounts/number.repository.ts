// SQL for phone numbers.
import type { Insertable, Updateable } from 'kysely';
import type { Database, PhoneNumberRow, PhoneNumberTable } from '../db/index.js';
import type { NumberFilter } from './number.schemas.js';

export function insertNumber(db: Database, row: Insertable<PhoneNumberTable>): Promise<PhoneNumberRow> {
  return db.insertInto('phone_numbers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function numberById(db: Database, accountId: string, id: string): Promise<PhoneNumberRow | undefined> {
  return db.selectFrom('phone_numbers').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export function numberByE164(db: Database, accountId: string, e164: string): Promise<PhoneNumberRow | undefined> {
  return db.selectFrom('phone_numbers').selectAll().where('e164', '=', e164).where('account_id', '=', accountId).executeTakeFirst();
}

export function updateNumberRow(db: Database, id: string, changes: Updateable<PhoneNumberTable>): Promise<PhoneNumberRow> {
  return db
    .updateTable('phone_numbers')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteNumberRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('phone_numbers').where('id', '=', id).execute();
}

export async function listNumbers(db: Database, accountId: string, filter: NumberFilter, ringing?: string | null) {
  let query = db.selectFrom('phone_numbers').where('account_id', '=', accountId);
  const target = ringing === undefined ? filter.subaccountId : (ringing ?? '00000000-0000-0000-0000-000000000000');
  if (target) query = query.where('destination_kind', 'in', ['subaccount', 'conference']).where('destination_id', '=', target);
  if (filter.q) query = query.where('e164', 'like', `%${filter.q.replace(/[^0-9]/g, '')}%`);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('e164').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
