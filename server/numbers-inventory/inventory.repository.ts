// SQL for the local number inventory: the operator's stock, searched by area
// code, one row locked while it is sold or returned.
import type { Database, NumberInventoryRow } from '../db/index.js';

const fees = (row: NumberInventoryRow): NumberInventoryRow => ({
  ...row,
  monthly_fee_minor: Number(row.monthly_fee_minor),
  setup_fee_minor: Number(row.setup_fee_minor),
});

/** Adds numbers to the stock; numbers already in it are left as they are. Returns those added. */
export async function insertStock(
  db: Database,
  rows: { e164: string; area_code: string; monthly_fee_minor: number; setup_fee_minor: number }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const added = await db
    .insertInto('number_inventory')
    .values(rows)
    .onConflict((oc) => oc.column('e164').doNothing())
    .returning('e164')
    .execute();
  return added.map((r) => r.e164);
}

export async function availableNumbers(db: Database, filter: { areaCode?: string | undefined; limit: number; offset: number }) {
  let query = db.selectFrom('number_inventory').where('sold_at', 'is', null);
  if (filter.areaCode) query = query.where('area_code', '=', filter.areaCode);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('e164').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(fees), total: Number(count.n) };
}

/** The stock row of `e164`, locked until the transaction ends. */
export async function lockedStock(trx: Database, e164: string): Promise<NumberInventoryRow | undefined> {
  const row = await trx.selectFrom('number_inventory').selectAll().where('e164', '=', e164).forUpdate().executeTakeFirst();
  return row && fees(row);
}

export async function lockedStockOf(trx: Database, accountId: string, phoneNumberId: string): Promise<NumberInventoryRow | undefined> {
  const row = await trx
    .selectFrom('number_inventory')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('phone_number_id', '=', phoneNumberId)
    .forUpdate()
    .executeTakeFirst();
  return row && fees(row);
}

export async function markSold(trx: Database, e164: string, sale: { account_id: string; phone_number_id: string; sold_at: Date }) {
  await trx.updateTable('number_inventory').set(sale).where('e164', '=', e164).execute();
}

export async function markAvailable(trx: Database, e164: string) {
  await trx.updateTable('number_inventory').set({ account_id: null, phone_number_id: null, sold_at: null }).where('e164', '=', e164).execute();
}
