// SQL for payment methods.
import type { Insertable } from 'kysely';
import type { Database, PaymentMethodRow, PaymentMethodTable } from '../db/index.js';

export function methodsOf(db: Database, accountId: string): Promise<PaymentMethodRow[]> {
  return db.selectFrom('payment_methods').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
}

export function methodById(db: Database, accountId: string, id: string): Promise<PaymentMethodRow | undefined> {
  return db.selectFrom('payment_methods').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export function defaultMethodOf(db: Database, accountId: string): Promise<PaymentMethodRow | undefined> {
  return db.selectFrom('payment_methods').selectAll().where('account_id', '=', accountId).where('is_default', '=', true).executeTakeFirst();
}

export function insertMethod(db: Database, row: Insertable<PaymentMethodTable>): Promise<PaymentMethodRow> {
  return db.insertInto('payment_methods').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Makes `id` the account's only default (clearing the old one first: the partial unique index allows one). */
export async function setDefault(db: Database, accountId: string, id: string): Promise<void> {
  await db.updateTable('payment_methods').set({ is_default: false }).where('account_id', '=', accountId).where('is_default', '=', true).execute();
  await db.updateTable('payment_methods').set({ is_default: true }).where('account_id', '=', accountId).where('id', '=', id).execute();
}

export async function deleteMethod(db: Database, id: string): Promise<void> {
  await db.deleteFrom('payment_methods').where('id', '=', id).execute();
}

/** Locks the account row: card changes of one account take turns (one default at a time). */
export async function lockAccountCards(db: Database, accountId: string): Promise<void> {
  await db.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().execute();
}
