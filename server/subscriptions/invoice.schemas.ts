// Invoices as the API shows them: the summary in lists, the whole statement on its own.
import { z } from 'zod';
import type { InvoiceRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import type { InvoiceDocument } from '../billing/index.js';

export const invoiceSummary = z.object({
  id: z.string(),
  accountId: z.string(),
  period: z.string().describe('YYYY-MM: a calendar month in the account’s timezone'),
  periodStart: z.string(),
  periodEnd: z.string(),
  currency: z.string(),
  subtotalMinor: z.number().int(),
  taxRateBp: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  createdAt: z.string(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

const line = z.object({
  section: z.enum(['subscription', 'proration', 'usage', 'adjustment']),
  description: z.string(),
  date: z.string().nullable(),
  amountMinor: z.number().int().describe('> 0 a charge, < 0 a credit'),
});

export const invoice = invoiceSummary.extend({
  accountName: z.string(),
  timezone: z.string(),
  lines: z.array(line),
  usage: z.object({
    calls: z.number().int(),
    totalMinor: z.number().int(),
    bySubaccount: z.array(
      z.object({
        subaccountId: z.string().nullable(),
        name: z.string(),
        userId: z.string().nullable().describe('the subaccount’s SIP user id'),
        project: z.string().nullable().describe('the subaccount’s cost centre'),
        calls: z.number().int(),
        amountMinor: z.number().int(),
      }),
    ),
    byProject: z.array(z.object({ project: z.string().nullable(), calls: z.number().int(), amountMinor: z.number().int() })),
  }),
});
export type Invoice = z.infer<typeof invoice>;

export const invoiceFilter = pageQuery;

export const invoiceFormat = z.object({
  format: z.enum(['json', 'csv', 'pdf']).default('json').describe('csv or pdf: download the invoice as a file'),
});

export const generateInvoice = z.object({
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').describe('an ended billing period'),
});

export function toInvoiceSummary(row: InvoiceRow): InvoiceSummary {
  return {
    id: row.id,
    accountId: row.account_id,
    period: row.period,
    periodStart: row.period_start.toISOString(),
    periodEnd: row.period_end.toISOString(),
    currency: row.currency,
    subtotalMinor: row.subtotal_minor,
    taxRateBp: row.tax_rate_bp,
    taxMinor: row.tax_minor,
    totalMinor: row.total_minor,
    createdAt: row.created_at.toISOString(),
  };
}

export function toInvoice(row: InvoiceRow): Invoice {
  const doc = row.document as InvoiceDocument;
  return { ...toInvoiceSummary(row), accountName: doc.accountName, timezone: doc.timezone, lines: doc.lines, usage: doc.usage };
}
