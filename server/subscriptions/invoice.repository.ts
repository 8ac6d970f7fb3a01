// SQL for invoices: what one is composed from (ledger entries of a period, the
// account's subaccounts) and the invoices themselves, unique per (account, period).
import type { Insertable } from 'kysely';
import type { InvoiceEntry, InvoiceSubaccount } from '../billing/index.js';
import type { Database, InvoiceRow, InvoiceTable, LedgerEntryKind } from '../db/index.js';

export interface InvoicedAccount {
  id: string;
  name: string;
  timezone: string;
  lineage: string[];
  created_at: Date;
  /** when a cancellation closes (closed) the account */
  closes_at: Date | null;
}

const INVOICED_KINDS: LedgerEntryKind[] = ['subscription', 'proration', 'call_charge', 'adjustment'];

const totals = (row: InvoiceRow): InvoiceRow => ({
  ...row,
  subtotal_minor: Number(row.subtotal_minor),
  tax_minor: Number(row.tax_minor),
  total_minor: Number(row.total_minor),
});

export function customerAccounts(db: Database): Promise<InvoicedAccount[]> {
  return db.selectFrom('accounts').select(['id', 'name', 'timezone', 'lineage', 'created_at', 'closes_at']).where('kind', '=', 'account').orderBy('created_at').execute();
}

export function customerAccount(db: Database, id: string): Promise<InvoicedAccount | undefined> {
  return db
    .selectFrom('accounts')
    .select(['id', 'name', 'timezone', 'lineage', 'created_at', 'closes_at'])
    .where('id', '=', id)
    .where('kind', '=', 'account')
    .executeTakeFirst();
}

/** The account's invoiced ledger entries created in [start, end). */
export async function entriesBetween(db: Database, accountId: string, start: Date, end: Date): Promise<InvoiceEntry[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount_minor', 'memo', 'subaccount_id', 'created_at'])
    .where('account_id', '=', accountId)
    .where('kind', 'in', INVOICED_KINDS)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind, amountMinor: Number(r.amount_minor), memo: r.memo, subaccountId: r.subaccount_id, createdAt: r.created_at }));
}

export async function subaccountsOf(db: Database, accountId: string): Promise<InvoiceSubaccount[]> {
  const rows = await db.selectFrom('subaccounts').select(['id', 'name', 'sip_user', 'cost_centre']).where('account_id', '=', accountId).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, sipUser: r.sip_user, costCentre: r.cost_centre }));
}

export async function balanceCurrency(db: Database, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('account_balances').select('currency').where('account_id', '=', accountId).executeTakeFirst();
  return row?.currency;
}

export async function invoiceExists(db: Database, accountId: string, period: string): Promise<boolean> {
  const row = await db.selectFrom('invoices').select('id').where('account_id', '=', accountId).where('period', '=', period).executeTakeFirst();
  return row !== undefined;
}

/** Inserts the invoice; undefined when the account already has one for the period (nothing changes). */
export async function insertInvoice(db: Database, row: Insertable<InvoiceTable>): Promise<InvoiceRow | undefined> {
  const saved = await db
    .insertInto('invoices')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'period']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return saved && totals(saved);
}

export async function invoiceById(db: Database, accountId: string, id: string): Promise<InvoiceRow | undefined> {
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return row && totals(row);
}

export async function invoicesOf(db: Database, accountId: string, page: { limit: number; offset: number }) {
  const query = db.selectFrom('invoices').where('account_id', '=', accountId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('period', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(totals), total: Number(count.n) };
}
