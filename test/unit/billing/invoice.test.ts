// Invoice composition (pure): which entries are on the bill, the breakdowns, tax rounding, CSV cells.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type InvoiceEntry, billingPeriodNamed, composeInvoice, formatMinor, invoiceCsv, taxMinor } from '../../../server/billing/index.js';

const november = billingPeriodNamed('Asia/Tokyo', '2026-11')!;
const entry = (kind: InvoiceEntry['kind'], amountMinor: number, at: string, subaccountId: string | null = null, memo = ''): InvoiceEntry => ({
  kind, amountMinor, memo, subaccountId, createdAt: new Date(at),
});

const subaccounts = [
  { id: 's1', name: '=HYPERLINK("x")', sipUser: 'u1', costCentre: 'acme' },
  { id: 's2', name: 'Desk', sipUser: 'u2', costCentre: null },
];

describe('composeInvoice', () => {
  const doc = composeInvoice({
    accountId: 'a', accountName: 'A', timezone: 'Asia/Tokyo', period: november, currency: 'JPY', taxRateBp: 1000, subaccounts,
    entries: [
      entry('subscription', -3000, '2026-10-31T15:00:00Z', null, 'Billed users × 1, 2026-11'), // Nov 1 00:00 in Tokyo: in
      entry('call_charge', -7, '2026-10-31T14:59:59Z', 's1'), // Oct 31 23:59 in Tokyo: out
      entry('call_charge', -5, '2026-11-30T14:59:59Z', 's1'), // Nov 30 23:59: in
      entry('call_charge', -6, '2026-11-30T15:00:00Z', 's2'), // Dec 1 00:00: out
      entry('call_charge', -4, '2026-11-10T00:00:00Z', 'gone'), // a deleted subaccount: billed to the account
      entry('topup', 10_000, '2026-11-02T00:00:00Z'),
      entry('refund', 50, '2026-11-02T00:00:00Z'),
      entry('proration', 1000, '2026-11-20T00:00:00Z', null, 'Billed users 1 → 0'),
    ],
  });

  it('bills what happened inside the period on the account’s wall clock, and no payments', () => {
    expect(doc.lines.map((l) => [l.section, l.amountMinor])).toEqual([
      ['subscription', 3000],
      ['proration', -1000],
      ['usage', 4],
      ['usage', 5],
    ]);
    expect(doc.lines[0]!.date).toBe('2026-11-01');
  });

  it('rounds the tax once on the subtotal: 2009 × 10 % = 200.9 → 201 yen', () => {
    expect([doc.subtotalMinor, doc.taxMinor, doc.totalMinor]).toEqual([2009, 201, 2210]);
  });

  it('the CSV neutralises a subaccount name a spreadsheet would run as a formula', () => {
    const rows: Record<string, string>[] = parse(invoiceCsv(doc), { columns: true });
    expect(rows.find((r) => r.section === 'usage_by_subaccount' && r.user_id === 'u1')!.description).toBe(`'=HYPERLINK("x")`);
    expect(rows.find((r) => r.section === 'total')!.amount).toBe('2210');
  });
});

describe('money on the bill', () => {
  it.each([
    [1000, 825, 83], // 82.5 → 83
    [-1000, 825, -83], // a credit note rounds the same way, away from zero
    [4350, 825, 359],
    [1, 4999, 0],
    [1, 5000, 1],
    [123, 0, 0],
  ])('tax on %i at %i bp is %i', (amount, bp, expected) => {
    expect(taxMinor(amount, bp)).toBe(expected);
  });

  it.each([
    [4709, 'USD', '47.09'],
    [-5, 'USD', '-0.05'],
    [2210, 'JPY', '2210'],
    [1, 'KWD', '0.001'],
  ])('%i %s reads %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });
});
