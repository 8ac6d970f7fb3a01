// SQL for the phone catalogue, orders and their items.
import type { Insertable, Updateable } from 'kysely';
import type {
  Database,
  PhoneModelRow,
  PhoneModelTable,
  PhoneOrderItemRow,
  PhoneOrderItemTable,
  PhoneOrderRow,
  PhoneOrderTable,
} from '../db/index.js';
import type { OrderFilter } from './order.schemas.js';

export function listModels(db: Database): Promise<PhoneModelRow[]> {
  return db.selectFrom('phone_models').selectAll().orderBy('vendor').orderBy('model').execute();
}

export function modelsByIds(db: Database, ids: string[]): Promise<PhoneModelRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('phone_models').selectAll().where('id', 'in', ids).execute();
}

export function updateModelRow(db: Database, id: string, changes: Updateable<PhoneModelTable>): Promise<PhoneModelRow | undefined> {
  return db
    .updateTable('phone_models')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function insertOrder(db: Database, row: Insertable<PhoneOrderTable>): Promise<PhoneOrderRow> {
  return db.insertInto('phone_orders').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertItems(db: Database, rows: Insertable<PhoneOrderItemTable>[]): Promise<void> {
  await db.insertInto('phone_order_items').values(rows).execute();
}

/** The order, locked until the transaction ends when `lock`: moves of one order take turns. */
export function orderById(db: Database, accountId: string, id: string, lock = false): Promise<PhoneOrderRow | undefined> {
  const query = db.selectFrom('phone_orders').selectAll().where('id', '=', id).where('account_id', '=', accountId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export function updateOrderRow(db: Database, id: string, changes: Updateable<PhoneOrderTable>): Promise<PhoneOrderRow> {
  return db
    .updateTable('phone_orders')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function itemsOf(db: Database, orderIds: string[]): Promise<PhoneOrderItemRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('phone_order_items').selectAll().where('order_id', 'in', orderIds).orderBy('position').execute();
}

export async function setItemMacs(db: Database, orderId: string, position: number, macs: string[]): Promise<void> {
  await db.updateTable('phone_order_items').set({ macs }).where('order_id', '=', orderId).where('position', '=', position).execute();
}

/** Which of these MACs are already devices (of any account). */
export async function macsTaken(db: Database, macs: string[]): Promise<Set<string>> {
  if (macs.length === 0) return new Set();
  const rows = await db.selectFrom('devices').select('mac').where('mac', 'in', macs).execute();
  return new Set(rows.map((r) => r.mac));
}

export async function listOrders(db: Database, accountId: string, filter: OrderFilter) {
  let query = db.selectFrom('phone_orders').where('account_id', '=', accountId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
