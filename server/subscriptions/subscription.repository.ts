// SQL for price lists, subscription items and the once-per-period recurring
// charge marker. Functions that change items take the caller's transaction.
import type { Insertable } from 'kysely';
import type { Database, PriceListRow, SubscriptionItemRow, SubscriptionItemTable } from '../db/index.js';

const money = <T extends { unit_price_minor: number | string }>(row: T) => ({ ...row, unit_price_minor: Number(row.unit_price_minor) });

/** The price lists set on any of `lineage` (an account's ancestors and itself), nearest first. */
export async function priceListsOn(db: Database, lineage: string[]): Promise<PriceListRow[]> {
  const rows = await db.selectFrom('price_lists').selectAll().where('account_id', 'in', lineage).execute();
  const depth = (id: string) => lineage.indexOf(id);
  return rows
    .map((r) => ({ ...r, seat_price_minor: Number(r.seat_price_minor) }))
    .sort((a, b) => depth(b.account_id) - depth(a.account_id));
}

export async function upsertPriceList(db: Database, row: { account_id: string; currency: string; seat_price_minor: number }) {
  const saved = await db
    .insertInto('price_lists')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ currency: row.currency, seat_price_minor: row.seat_price_minor, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...saved, seat_price_minor: Number(saved.seat_price_minor) };
}

/** The account's open seat item, locked until the transaction ends. */
export async function openSeatItem(trx: Database, accountId: string): Promise<SubscriptionItemRow | undefined> {
  const row = await trx
    .selectFrom('subscription_items')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'seat')
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && money(row);
}

export async function openNumberItem(trx: Database, accountId: string, phoneNumberId: string): Promise<SubscriptionItemRow | undefined> {
  const row = await trx
    .selectFrom('subscription_items')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('phone_number_id', '=', phoneNumberId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row && money(row);
}

export async function insertItem(trx: Database, row: Insertable<SubscriptionItemTable>): Promise<SubscriptionItemRow> {
  return money(await trx.insertInto('subscription_items').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function endItem(trx: Database, id: string, at: Date): Promise<void> {
  await trx.updateTable('subscription_items').set({ ended_at: at }).where('id', '=', id).execute();
}

/** Items still open, or ended at or after `since`: what the account subscribes to now and lately. */
export async function itemsOf(db: Database, accountId: string, since: Date): Promise<SubscriptionItemRow[]> {
  const rows = await db
    .selectFrom('subscription_items')
    .selectAll()
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', since)]))
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map(money);
}

/** Items of the account that were running at `instant` (started before it, not ended by it). */
export async function itemsRunningAt(trx: Database, accountId: string, instant: Date): Promise<SubscriptionItemRow[]> {
  const rows = await trx
    .selectFrom('subscription_items')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('started_at', '<', instant)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', instant)]))
    .orderBy('kind')
    .orderBy('started_at')
    .execute();
  return rows.map(money);
}

/**
 * Accounts with an item that could be charged for a period starting before
 * `before`, leaving out accounts closed by then (a cancellation closes at a
 * period's end, so the period after it is never charged).
 */
export async function accountsWithItems(db: Database, before: Date): Promise<{ id: string; timezone: string }[]> {
  return db
    .selectFrom('accounts')
    .select(['accounts.id', 'accounts.timezone'])
    .where('accounts.kind', '=', 'account')
    .where((eb) => eb.or([eb('accounts.closes_at', 'is', null), eb('accounts.closes_at', '>', before)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscription_items')
          .select('subscription_items.id')
          .whereRef('subscription_items.account_id', '=', 'accounts.id')
          .where('subscription_items.started_at', '<', before),
      ),
    )
    .execute();
}

/** Marks the period's recurring charge as posted; false when it already was. */
export async function claimPeriodCharge(trx: Database, accountId: string, period: string): Promise<boolean> {
  const row = await trx
    .insertInto('subscription_charges')
    .values({ account_id: accountId, period })
    .onConflict((oc) => oc.columns(['account_id', 'period']).doNothing())
    .returning('period')
    .executeTakeFirst();
  return row !== undefined;
}

export async function subaccountCount(trx: Database, accountId: string): Promise<number> {
  const row = await trx
    .selectFrom('subaccounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
