// The monthly bill on a real database, against hand-computed figures: an
// account in New York whose November spans a DST-free month boundary in UTC
// (a call at 2026-12-01T03:00Z is still November there), usage broken down by
// subaccount and by project, tax, the job run twice, CSV and PDF downloads.
import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../server/accounts/index.js';
import { postEntry } from '../../server/billing/index.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let acct: { id: string; owner: Http };
let subs: Record<'alice' | 'bob' | 'carol', string>;
let admin: Http;
let user: Http;

const DEC_1_NY_1AM = new Date('2026-12-01T06:00:00Z');

async function charge(subaccountId: string | null, amountMinor: number, at: string, kind: 'call_charge' | 'adjustment' | 'topup' = 'call_charge') {
  await postEntry(
    plane.db,
    { accountId: acct.id, subaccountId, kind, amountMinor, currency: 'USD', callUuid: kind === 'call_charge' ? crypto.randomUUID() : null, memo: kind === 'adjustment' ? 'Goodwill credit' : '', createdBy: 'test' },
    { at: new Date(at) },
  );
}

beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_BILLING_INTERVAL: '0', CALLPLANE_TAX_RATE_BP: '825', CALLPLANE_SEAT_PRICE_MINOR: '2000' });
  acct = await customerAccount(plane, 'Law Firm', plane.operator, { timezone: 'America/New_York' });
  // the account has existed since before November (created_at is set by the database)
  await sql`update accounts set created_at = '2026-10-15T00:00:00Z' where id = ${acct.id}`.execute(plane.db);
  const sub = async (name: string, costCentre: string | null) =>
    (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name, costCentre })).body.id as string;
  subs = { alice: await sub('Alice', 'lawsuit'), bob: await sub('Bob', 'lawsuit'), carol: await sub('Carol', null) };
  const owner: Caller = { userId: null, label: 'owner', role: 'owner', accountId: acct.id, subaccountId: null };
  // Nov 10 12:00 EST: 3 seats × 20.00, 21 of 30 days → 60.00 × 21/30 = 42.00
  await plane.features.subscriptions.setSeats(owner, acct.id, 3, new Date('2026-11-10T17:00:00Z'));
  await charge(null, 10_000, '2026-11-05T12:00:00Z', 'topup'); // a payment: not on the bill
  await charge(subs.alice, -123, '2026-11-20T15:00:00Z');
  await charge(subs.bob, -77, '2026-11-25T15:00:00Z');
  await charge(subs.carol, -50, '2026-12-01T03:00:00Z'); // Nov 30 22:00 in New York
  await charge(subs.alice, -999, '2026-12-01T06:00:00Z'); // Dec 1 01:00 in New York
  await charge(null, 100, '2026-11-28T12:00:00Z', 'adjustment');
  const email = 'admin@lawfirm.example';
  await acct.owner.post(`/accounts/${acct.id}/users`, { email, role: 'admin', password: 'admin-password-1' });
  admin = await plane.as(email, 'admin-password-1');
  await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'user@lawfirm.example', role: 'user', password: 'user-password-1', subaccountId: subs.alice });
  user = await plane.as('user@lawfirm.example', 'user-password-1');
});
afterAll(() => plane.stop());

describe('the billing job', () => {
  it('run twice at Dec 1 01:00 New York: December’s seats charged once, November invoiced once', async () => {
    const first = await plane.features.invoices.runBillingCycle(new Date(DEC_1_NY_1AM.getTime() + 1000));
    const ours = await plane.db.selectFrom('invoices').selectAll().where('account_id', '=', acct.id).execute();
    expect(first.charged).toBeGreaterThanOrEqual(1);
    expect(ours.map((i) => i.period)).toEqual(['2026-11']);
    const before = await plane.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const second = await plane.features.invoices.runBillingCycle(new Date(DEC_1_NY_1AM.getTime() + 2000));
    expect(second).toEqual({ charged: 0, invoiced: 0 });
    const after = await plane.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await plane.db.selectFrom('invoices').select('id').where('account_id', '=', acct.id).execute()).length).toBe(1);
    const december = await plane.db.selectFrom('ledger_entries').select(['amount_minor', 'memo']).where('account_id', '=', acct.id).where('kind', '=', 'subscription').execute();
    expect(december.map((e) => [Number(e.amount_minor), e.memo])).toEqual([[-6000, 'Billed users × 3, 2026-12']]);
  });
});

describe('the November invoice', () => {
  let invoiceId: string;
  it('totals match the hand-computed figures: 42.00 seats + 2.50 calls − 1.00 credit = 43.50, tax 8.25 % = 3.59, total 47.09', async () => {
    const list = await acct.owner.get(`/accounts/${acct.id}/invoices`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    invoiceId = list.body.items[0].id;
    const inv = (await acct.owner.get(`/accounts/${acct.id}/invoices/${invoiceId}`)).body;
    expect(inv).toMatchObject({
      period: '2026-11', periodStart: '2026-11-01T04:00:00.000Z', periodEnd: '2026-12-01T05:00:00.000Z', currency: 'USD',
      subtotalMinor: 4350, taxRateBp: 825, taxMinor: 359, totalMinor: 4709, timezone: 'America/New_York',
    });
    expect(inv.lines.map((l: any) => [l.section, l.amountMinor])).toEqual([
      ['proration', 4200],
      ['usage', 123],
      ['usage', 77],
      ['usage', 50],
      ['adjustment', -100],
    ]);
    expect(inv.lines[0].description).toContain('Billed users 0 → 3');
    expect(inv.lines[0].date).toBe('2026-11-10');
  });

  it('usage is broken down by user id and by project, and each breakdown adds up to the usage total', async () => {
    const { usage } = (await admin.get(`/accounts/${acct.id}/invoices/${invoiceId}`)).body;
    expect(usage.totalMinor).toBe(250);
    expect(usage.calls).toBe(3);
    expect(usage.bySubaccount.map((s: any) => [s.name, s.project, s.calls, s.amountMinor])).toEqual([
      ['Alice', 'lawsuit', 1, 123],
      ['Bob', 'lawsuit', 1, 77],
      ['Carol', null, 1, 50],
    ]);
    expect(usage.bySubaccount.every((s: any) => typeof s.userId === 'string' && s.userId.length > 0)).toBe(true);
    expect(usage.byProject).toEqual([
      { project: 'lawsuit', calls: 2, amountMinor: 200 },
      { project: null, calls: 1, amountMinor: 50 },
    ]);
    const sum = (rows: any[]) => rows.reduce((n, r) => n + r.amountMinor, 0);
    expect(sum(usage.bySubaccount)).toBe(usage.totalMinor);
    expect(sum(usage.byProject)).toBe(usage.totalMinor);
  });

  it('the CSV parses back to the same lines and totals', async () => {
    const res = await fetch(`${acct.owner.base}/accounts/${acct.id}/invoices/${invoiceId}?format=csv`, { headers: { authorization: `Bearer ${acct.owner.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?invoice-2026-11-[0-9a-f]{8}\.csv"?$/);
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    const of = (section: string) => rows.filter((r) => r.section === section);
    const lineRows = rows.filter((r) => ['subscription', 'proration', 'usage', 'adjustment'].includes(r.section!));
    expect(lineRows.reduce((n, r) => n + Number(r.amount_minor), 0)).toBe(4350);
    expect(of('total')[0]).toMatchObject({ amount_minor: '4709', amount: '47.09', currency: 'USD' });
    expect(of('tax')[0]!.amount).toBe('3.59');
    expect(of('usage_by_project').map((r) => [r.project, r.amount])).toEqual([['lawsuit', '2.00'], ['', '0.50']]);
    expect(of('usage_by_subaccount').map((r) => r.description)).toEqual(['Alice', 'Bob', 'Carol']);
  });

  it('the PDF starts with %PDF and shows the total', async () => {
    const res = await fetch(`${acct.owner.base}/accounts/${acct.id}/invoices/${invoiceId}?format=pdf`, { headers: { authorization: `Bearer ${acct.owner.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    // pdfkit writes shown text as hex strings inside TJ arrays (compress: false keeps them readable)
    const shown = [...pdf.matchAll(/\[(.*?)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]+)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    expect(shown).toContain('Total 47.09 USD');
  });

  it('a user login may not read invoices; another tenant’s invoice is not found', async () => {
    expect((await user.get(`/accounts/${acct.id}/invoices`)).status).toBe(403);
    expect((await user.get(`/accounts/${acct.id}/invoices/${invoiceId}`)).status).toBe(403);
    const other = await customerAccount(plane, 'Other');
    expect((await other.owner.get(`/accounts/${acct.id}/invoices/${invoiceId}`)).status).toBe(404);
    expect((await other.owner.get(`/accounts/${other.id}/invoices/${invoiceId}`)).status).toBe(404);
  });

  it('staff generate a period on demand: 409 when it exists, 400 when it has not ended, owners 403', async () => {
    expect((await plane.operator.post(`/accounts/${acct.id}/invoices`, { period: '2026-11' })).body.error.field).toBe('period');
    const october = await plane.operator.post(`/accounts/${acct.id}/invoices`, { period: '2026-10' });
    expect(october.status).toBe(201);
    expect(october.body).toMatchObject({ period: '2026-10', totalMinor: 0, lines: [] });
    expect((await plane.operator.post(`/accounts/${acct.id}/invoices`, { period: '2099-01' })).status).toBe(400);
    expect((await acct.owner.post(`/accounts/${acct.id}/invoices`, { period: '2026-09' })).status).toBe(403);
  });
});

describe('the control plane runs the billing job on its interval', () => {
  it('an account that existed last month gets last month’s invoice without anyone asking; close() stops the job', async () => {
    const own = await startTestPlane({ CALLPLANE_BILLING_INTERVAL: '1' });
    try {
      const account = await customerAccount(own, 'Scheduled');
      await sql`update accounts set created_at = '2020-01-01T00:00:00Z' where id = ${account.id}`.execute(own.db);
      const deadline = Date.now() + 10_000;
      let invoices: unknown[] = [];
      while (invoices.length === 0 && Date.now() < deadline) {
        invoices = await own.db.selectFrom('invoices').select('period').where('account_id', '=', account.id).execute();
        if (invoices.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(invoices).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });
});
