// Invoices (the monthly bill): one per account per billing period, generated
// after the period ends by the billing job (safe to run twice, from any
// process: (account, period) is unique and a second run inserts nothing), or
// on demand by staff. Owner, admin and staff of the tenant read them as JSON,
// CSV or PDF; `user` logins may not.
import { type Caller, reachAccount, recordAudit } from '../accounts/index.js';
import type { Database, InvoiceRow } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { type BillingPeriod, billingPeriodNamed, composeInvoice, invoiceCsv, invoicePdf, lastEndedPeriod } from '../billing/index.js';
import * as repo from './invoice.repository.js';
import { type Invoice, type InvoiceSummary, toInvoice, toInvoiceSummary } from './invoice.schemas.js';
import type { Subscriptions } from './subscriptions.js';

export interface InvoiceDeps {
  db: Database;
  subscriptions: Subscriptions;
  /** tax on the subtotal, basis points (config CALLPLANE_TAX_RATE_BP) */
  taxRateBp: number;
}

export interface InvoiceFile {
  contentType: string;
  filename: string;
  body: string | Buffer;
}

export interface BillingCycle {
  /** recurring subscription items charged for the current period */
  charged: number;
  /** invoices created for the last ended period */
  invoiced: number;
}

export class Invoices {
  constructor(private readonly deps: InvoiceDeps) {}

  async list(caller: Caller, accountId: string, page: { limit: number; offset: number }): Promise<Page<InvoiceSummary>> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const { rows, total } = await repo.invoicesOf(this.deps.db, accountId, page);
    return { items: rows.map(toInvoiceSummary), total, limit: page.limit, offset: page.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<Invoice> {
    return toInvoice(await this.row(caller, accountId, id));
  }

  async file(caller: Caller, accountId: string, id: string, format: 'csv' | 'pdf'): Promise<InvoiceFile> {
    const row = await this.row(caller, accountId, id);
    const doc = toInvoice(row);
    const name = `invoice-${row.period}-${row.id.slice(0, 8)}`;
    if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, body: invoiceCsv(doc) };
    return { contentType: 'application/pdf', filename: `${name}.pdf`, body: await invoicePdf(doc, row.id) };
  }

  /** Staff: the invoice of one ended period now. 409 on `period` when it exists already. */
  async generate(caller: Caller, accountId: string, period: string, now: Date): Promise<Invoice> {
    const reached = await reachAccount(this.deps.db, caller, accountId, 'staff');
    const account = await repo.customerAccount(this.deps.db, reached.id);
    if (!account) throw new InvalidField('accountId', 'invoices belong to customer accounts');
    const named = billingPeriodNamed(account.timezone, period);
    if (!named) throw new InvalidField('period', 'a month as YYYY-MM');
    if (named.end > now) throw new InvalidField('period', `${period} has not ended yet in ${account.timezone}`);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await this.compose(trx, account, named);
      if (!row) throw new Conflict('period', `the account already has an invoice for ${period}`);
      await recordAudit(trx, caller, { accountId, entity: 'invoice', entityId: row.id, action: 'create', after: toInvoiceSummary(row) });
      return toInvoice(row);
    });
  }

  /**
   * The billing job: for every customer account whose last period ended
   * before `now` and has no invoice, one invoice. Returns how many it created.
   */
  async generateInvoices(now: Date): Promise<number> {
    let created = 0;
    for (const account of await repo.customerAccounts(this.deps.db)) {
      const period = lastEndedPeriod(account.timezone, now);
      // nothing to bill before the account existed, nor after it closed
      if (account.created_at >= period.end || (account.closes_at && account.closes_at <= period.start)) continue;
      if (await repo.invoiceExists(this.deps.db, account.id, period.label)) continue;
      if (await this.deps.db.transaction().execute((trx) => this.compose(trx, account, period))) created += 1;
    }
    return created;
  }

  /** What the scheduled job runs: this period's recurring charges, then last period's invoices. */
  async runBillingCycle(now: Date): Promise<BillingCycle> {
    const charged = await this.deps.subscriptions.chargePeriods(now);
    const invoiced = await this.generateInvoices(now);
    return { charged, invoiced };
  }

  private async compose(db: Database, account: repo.InvoicedAccount, period: BillingPeriod): Promise<InvoiceRow | undefined> {
    const entries = await repo.entriesBetween(db, account.id, period.start, period.end);
    const subaccounts = await repo.subaccountsOf(db, account.id);
    const balanceCurrency = await repo.balanceCurrency(db, account.id);
    const priceList = await this.deps.subscriptions.priceListFor(db, account);
    const doc = composeInvoice({
      accountId: account.id,
      accountName: account.name,
      timezone: account.timezone,
      period,
      currency: balanceCurrency ?? priceList.currency,
      taxRateBp: this.deps.taxRateBp,
      entries,
      subaccounts,
    });
    return repo.insertInvoice(db, {
      account_id: account.id,
      period: period.label,
      period_start: period.start,
      period_end: period.end,
      currency: doc.currency,
      subtotal_minor: doc.subtotalMinor,
      tax_rate_bp: doc.taxRateBp,
      tax_minor: doc.taxMinor,
      total_minor: doc.totalMinor,
      document: JSON.stringify(doc),
    });
  }

  private async row(caller: Caller, accountId: string, id: string): Promise<InvoiceRow> {
    await reachAccount(this.deps.db, caller, accountId, 'manage');
    const row = await repo.invoiceById(this.deps.db, accountId, id);
    if (!row) throw new NotFound('invoice');
    return row;
  }
}
