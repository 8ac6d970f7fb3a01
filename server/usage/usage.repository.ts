// SQL for usage charges: settings, charges (top-ups and recharge attempts),
// alerts and the outbox.
import { type Insertable, type Updateable, sql } from 'kysely';
import type {
  Database,
  OutboxRow,
  OutboxTable,
  PaymentChargeRow,
  PaymentChargeTable,
  UsageAlertRow,
  UsageAlertTable,
  UsageSettingsRow,
  UsageSettingsTable,
} from '../db/index.js';

export function settingsOf(db: Database, accountId: string): Promise<UsageSettingsRow | undefined> {
  return db.selectFrom('usage_settings').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Locks the account's usage settings until the transaction ends: checks of one account take turns. */
export function lockedSettings(db: Database, accountId: string): Promise<UsageSettingsRow | undefined> {
  return db.selectFrom('usage_settings').selectAll().where('account_id', '=', accountId).forUpdate().executeTakeFirst();
}

export async function upsertSettings(db: Database, row: Insertable<UsageSettingsTable>): Promise<UsageSettingsRow> {
  const { account_id: _, ...changes } = row;
  return db
    .insertInto('usage_settings')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...changes, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setArmed(db: Database, accountId: string, armed: boolean): Promise<void> {
  await db.updateTable('usage_settings').set({ alert_armed: armed }).where('account_id', '=', accountId).execute();
}

/** Accounts with something to check: a threshold or auto-recharge. */
export async function accountsToCheck(db: Database): Promise<string[]> {
  const rows = await db
    .selectFrom('usage_settings')
    .select('account_id')
    .where((eb) => eb.or([eb('alert_threshold_minor', 'is not', null), eb('recharge_enabled', '=', true)]))
    .execute();
  return rows.map((r) => r.account_id);
}

export function insertCharge(db: Database, row: Insertable<PaymentChargeTable>): Promise<PaymentChargeRow | undefined> {
  return db.insertInto('payment_charges').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

export function chargeByKey(db: Database, key: string): Promise<PaymentChargeRow | undefined> {
  return db.selectFrom('payment_charges').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** Completes a pending charge; undefined when it was no longer pending (another job completed it). */
export function completeCharge(db: Database, id: string, changes: Updateable<PaymentChargeTable>): Promise<PaymentChargeRow | undefined> {
  return db
    .updateTable('payment_charges')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** The account's latest auto-recharge attempts, newest first. */
export function recentAttempts(db: Database, accountId: string, limit = 50): Promise<PaymentChargeRow[]> {
  return db
    .selectFrom('payment_charges')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'auto_recharge')
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function chargesOf(db: Database, accountId: string, kind: 'topup' | 'auto_recharge' | undefined, page: { limit: number; offset: number }) {
  let query = db.selectFrom('payment_charges').where('account_id', '=', accountId);
  if (kind) query = query.where('kind', '=', kind);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function insertAlert(db: Database, row: Insertable<UsageAlertTable>): Promise<UsageAlertRow> {
  return db.insertInto('usage_alerts').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function alertsOf(db: Database, accountId: string, page: { limit: number; offset: number }) {
  const query = db.selectFrom('usage_alerts').where('account_id', '=', accountId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertOutbox(db: Database, rows: Insertable<OutboxTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('outbox').values(rows).execute();
}

export async function outboxOf(db: Database, accountId: string, page: { limit: number; offset: number }) {
  const query = db.selectFrom('outbox').where('account_id', '=', accountId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * Claims up to `limit` pending deliveries due at `now` for this process: each
 * claimed row counts an attempt and is not due again for `leaseMs`, so another
 * process running the job at the same time skips it (SKIP LOCKED).
 */
export async function claimDue(db: Database, now: Date, leaseMs: number, limit = 50): Promise<OutboxRow[]> {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('outbox')
    .set({ attempts: sql<number>`attempts + 1`, next_attempt_at: new Date(now.getTime() + leaseMs) })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

export async function updateOutbox(db: Database, id: string, changes: Updateable<OutboxTable>): Promise<void> {
  await db.updateTable('outbox').set(changes).where('id', '=', id).execute();
}

export function linkLedgerEntry(db: Database, id: string, ledgerEntryId: number): Promise<PaymentChargeRow | undefined> {
  return db.updateTable('payment_charges').set({ ledger_entry_id: ledgerEntryId }).where('id', '=', id).returningAll().executeTakeFirst();
}
