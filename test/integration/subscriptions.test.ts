// Subscriptions and local numbers through the API and the services on a real
// database: the Owner's billed user quantity (prorated, posted to the ledger,
// admins refused), number purchase from the inventory with a hand-computed
// prorated fee, and release with a prorated credit.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../server/accounts/index.js';
import { billingPeriodAt, changeProration, daysFromAdd, proratedMinor } from '../../server/billing/index.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_BILLING_INTERVAL: '0' });
  const operator = await plane.db.selectFrom('accounts').select('id').where('kind', '=', 'operator').executeTakeFirstOrThrow();
  const set = await plane.operator.put(`/accounts/${operator.id}/price-list`, { currency: 'USD', seatPriceMinor: 2000 });
  expect(set.status).toBe(200);
  const stock = await plane.operator.post('/number-inventory', {
    numbers: [
      { e164: '+14155550123', monthlyFeeMinor: 1000, setupFeeMinor: 250 },
      { e164: '+14155550124', monthlyFeeMinor: 1000 },
      { e164: '+12125550100', monthlyFeeMinor: 1500 },
      { e164: '+442079460000', areaCode: '20', monthlyFeeMinor: 900 },
    ],
  });
  expect(stock.status).toBe(201);
});
afterAll(() => plane.stop());

const ownerCaller = (accountId: string): Caller => ({ userId: null, label: 'owner@test', role: 'owner', accountId, subaccountId: null });

async function ledgerOf(accountId: string) {
  const rows = await plane.db.selectFrom('ledger_entries').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  return rows.map((r) => ({ kind: r.kind, amountMinor: Number(r.amount_minor), memo: r.memo, at: r.created_at }));
}

async function withAdmin(acct: { id: string; owner: Http }) {
  const email = `admin-${crypto.randomBytes(3).toString('hex')}@sub.example`;
  await acct.owner.post(`/accounts/${acct.id}/users`, { email, role: 'admin', password: 'admin-password-1' });
  return plane.as(email, 'admin-password-1');
}

describe('billed users (seats)', () => {
  it('the Owner raises the quantity: a prorated proration debit from today; an admin gets 403 and nothing is posted', async () => {
    const acct = await customerAccount(plane, 'Seats', plane.operator, { timezone: 'Europe/Paris' });
    const admin = await withAdmin(acct);
    expect((await admin.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 5 })).status).toBe(403);
    expect(await ledgerOf(acct.id)).toEqual([]);

    const raised = await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 3 });
    expect(raised.status).toBe(200);
    expect(raised.body.subscription.seats).toBe(3);
    const at = new Date(raised.body.proration.createdAt);
    const period = billingPeriodAt('Europe/Paris', at);
    const expected = -proratedMinor(6000, daysFromAdd(period.day, period.daysInPeriod), period.daysInPeriod);
    expect(raised.body.proration).toMatchObject({ kind: 'proration', amountMinor: expected, currency: 'USD' });
    const ledger = await ledgerOf(acct.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: 'proration', amountMinor: expected });

    const view = await admin.get(`/accounts/${acct.id}/subscription`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ seats: 3, priceList: { currency: 'USD', seatPriceMinor: 2000 } });
  });

  it('lowering credits the rest of the period; lowering below the subaccounts is 409 on quantity', async () => {
    const acct = await customerAccount(plane, 'Lower');
    for (const name of ['a', 'b']) await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name });
    await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 4 });
    const refused = await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.field).toBe('quantity');
    const lowered = await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 2 });
    expect(lowered.status).toBe(200);
    expect(lowered.body.proration.amountMinor).toBeGreaterThanOrEqual(0);
    const same = await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 2 });
    expect(same.body.proration).toBeNull();
    const items = (await acct.owner.get(`/accounts/${acct.id}/subscription`)).body.items;
    expect(items.map((i: any) => [i.quantity, i.endedAt === null])).toEqual([[4, false], [2, true]]);
  });

  it('a subaccount beyond the billed users is a 409 on seats until the owner raises them; accounts without seats are not limited', async () => {
    const acct = await customerAccount(plane, 'Beyond');
    const admin = await withAdmin(acct);
    const add = (name: string, who: Http = acct.owner) => who.post(`/accounts/${acct.id}/subaccounts`, { name });
    expect((await add('before seats')).status).toBe(201);
    await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 2 });
    expect((await add('second', admin)).status).toBe(201);
    for (const who of [acct.owner, admin]) {
      const refused = await add('third', who);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ field: 'seats', message: expect.stringContaining('2 billed users') });
    }
    expect((await acct.owner.get(`/accounts/${acct.id}/subscription`)).body).toMatchObject({ seats: 2, subaccounts: 2 });
    await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 3 });
    expect((await add('third', admin)).status).toBe(201);
  });

  it('hand-computed: 3 seats at 20.00 raised to 5 on Nov 16 (30-day November) cost 20.00; lowered to 4 on Nov 30, credit 0 days', async () => {
    const acct = await customerAccount(plane, 'Hand', plane.operator, { timezone: 'America/Los_Angeles' });
    const s = plane.features.subscriptions;
    const caller = ownerCaller(acct.id);
    // Nov 1 00:30 local (PDT) = 07:30Z: a whole month for 3 seats
    const first = await s.setSeats(caller, acct.id, 3, new Date('2026-11-01T07:30:00Z'));
    expect(first.proration?.amountMinor).toBe(-6000);
    const raised = await s.setSeats(caller, acct.id, 5, new Date('2026-11-16T20:00:00Z'));
    expect(raised.proration?.amountMinor).toBe(-2000); // 4000 × 15/30
    // Nov 30 23:00 PST is Dec 1 07:00Z: still the last day of November there → no day left to credit
    const lowered = await s.setSeats(caller, acct.id, 4, new Date('2026-12-01T07:00:00Z'));
    expect(lowered.proration).toBeNull();
    expect(changeProration(10000, 8000, 30, 30).amountMinor).toBe(0);
  });
});

describe('one currency per account', () => {
  it('prices in another currency than the balance are a 409 on currency saying what to change; nothing is written', async () => {
    const acct = await customerAccount(plane, 'Euro');
    expect((await plane.operator.post(`/accounts/${acct.id}/ledger`, { kind: 'topup', amountMinor: 5000, currency: 'EUR' })).status).toBe(201);
    const seats = await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 1 });
    expect(seats.status).toBe(409);
    expect(seats.body.error).toMatchObject({ field: 'currency', message: expect.stringContaining('price list is in USD but the account\'s balance is in EUR') });
    const buy = await acct.owner.post(`/accounts/${acct.id}/number-purchases`, { number: '+12125550100' });
    expect(buy.status).toBe(409);
    expect(buy.body.error.field).toBe('currency');
    expect((await acct.owner.get(`/accounts/${acct.id}/subscription`)).body).toMatchObject({ seats: 0, items: [] });
    expect((await acct.owner.get(`/accounts/${acct.id}/balance`)).body.balanceMinor).toBe(5000);
    // staff may not give the account a price list in another currency either; one in EUR makes it work
    expect((await plane.operator.put(`/accounts/${acct.id}/price-list`, { currency: 'GBP', seatPriceMinor: 1500 })).status).toBe(409);
    expect((await plane.operator.put(`/accounts/${acct.id}/price-list`, { currency: 'EUR', seatPriceMinor: 1800 })).status).toBe(200);
    expect((await acct.owner.put(`/accounts/${acct.id}/subscription/seats`, { quantity: 1 })).status).toBe(200);
  });
});

describe('local numbers from the inventory', () => {
  it('an owner searches by area code and sees the fees in the account’s currency', async () => {
    const acct = await customerAccount(plane, 'Search');
    const found = await acct.owner.get(`/accounts/${acct.id}/available-numbers?areaCode=415`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((n: any) => n.e164)).toEqual(expect.arrayContaining(['+14155550123', '+14155550124']));
    expect(found.body.items.every((n: any) => n.areaCode === '415' && n.currency === 'USD')).toBe(true);
    const london = await acct.owner.get(`/accounts/${acct.id}/available-numbers?areaCode=20`);
    expect(london.body.items).toEqual([{ e164: '+442079460000', areaCode: '20', monthlyFeeMinor: 900, setupFeeMinor: 0, currency: 'USD' }]);
  });

  it('hand-computed: bought on Nov 16 in Los Angeles, 10.00/month → 5.00 (15/30 days) plus the 2.50 setup fee; released Nov 20 → 3.33 back', async () => {
    const acct = await customerAccount(plane, 'Buyer', plane.operator, { timezone: 'America/Los_Angeles' });
    const bought = await plane.features.numberInventory.buy(ownerCaller(acct.id), acct.id, '+14155550123', new Date('2026-11-16T15:00:00Z'));
    expect(bought.number.e164).toBe('+14155550123');
    expect(bought.charges.map((c) => [c.kind, c.amountMinor])).toEqual([['proration', -500], ['subscription', -250]]);
    const numbers = await acct.owner.get(`/accounts/${acct.id}/numbers`);
    expect(numbers.body.items.map((n: any) => n.e164)).toEqual(['+14155550123']);
    const taken = await acct.owner.post(`/accounts/${acct.id}/number-purchases`, { number: '+14155550123' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.field).toBe('number');

    // Nov 20 12:00 PST: credited Nov 21 … 30 = 10 days: 1000 × 10/30 = 333.3 → 333
    const credit = await plane.features.numberInventory.release(undefined, acct.id, bought.number.id, new Date('2026-11-20T20:00:00Z'));
    expect(credit?.amount_minor).toBe(333);
    expect((await acct.owner.get(`/accounts/${acct.id}/numbers`)).body.items).toEqual([]);
    const again = await acct.owner.get(`/accounts/${acct.id}/available-numbers?areaCode=415`);
    expect(again.body.items.map((n: any) => n.e164)).toContain('+14155550123');
    const items = await plane.db.selectFrom('subscription_items').select(['kind', 'ended_at']).where('account_id', '=', acct.id).execute();
    expect(items).toEqual([{ kind: 'number', ended_at: new Date('2026-11-20T20:00:00Z') }]);
  });

  it('a bought number removed by staff through the API stops its monthly fee and returns to stock', async () => {
    const acct = await customerAccount(plane, 'Remover', plane.operator, { timezone: 'UTC' });
    const bought = await plane.features.numberInventory.buy(ownerCaller(acct.id), acct.id, '+14155550124', new Date());
    expect((await plane.operator.delete(`/accounts/${acct.id}/numbers/${bought.number.id}`)).status).toBe(204);
    const items = await plane.db.selectFrom('subscription_items').select(['kind', 'ended_at']).where('account_id', '=', acct.id).execute();
    expect(items).toEqual([{ kind: 'number', ended_at: expect.any(Date) }]);
    const again = await acct.owner.get(`/accounts/${acct.id}/available-numbers?areaCode=415`);
    expect(again.body.items.map((n: any) => n.e164)).toContain('+14155550124');
  });

  it('through the API: the owner buys (201, prorated from today), an admin gets 403, a malformed number names the field', async () => {
    const acct = await customerAccount(plane, 'ApiBuyer', plane.operator, { timezone: 'America/New_York' });
    const admin = await withAdmin(acct);
    expect((await admin.post(`/accounts/${acct.id}/number-purchases`, { number: '+12125550100' })).status).toBe(403);
    const bad = await acct.owner.post(`/accounts/${acct.id}/number-purchases`, { number: '+1 212 ABC' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('number');
    expect((await acct.owner.post(`/accounts/${acct.id}/number-purchases`, { number: '+12125550199' })).status).toBe(404);
    const bought = await acct.owner.post(`/accounts/${acct.id}/number-purchases`, { number: '(212) 555-0100' });
    expect(bought.status).toBe(201);
    const [entry] = await ledgerOf(acct.id);
    const period = billingPeriodAt('America/New_York', entry!.at);
    expect(bought.body.charges).toEqual([
      { kind: 'proration', amountMinor: -proratedMinor(1500, daysFromAdd(period.day, period.daysInPeriod), period.daysInPeriod), currency: 'USD', memo: expect.stringContaining('+12125550100') },
    ]);
  });

  it('the operator loads stock; a malformed E.164 is refused naming its field; resellers and owners may not load', async () => {
    const bad = await plane.operator.post('/number-inventory', { numbers: [{ e164: '+14155550125', monthlyFeeMinor: 1 }, { e164: '4155550126', monthlyFeeMinor: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('numbers.1.e164');
    const again = await plane.operator.post('/number-inventory', { numbers: [{ e164: '+14155550124', monthlyFeeMinor: 1 }] });
    expect(again.body).toEqual({ added: [], skipped: ['+14155550124'] });
    const acct = await customerAccount(plane, 'NotOperator');
    expect((await acct.owner.post('/number-inventory', { numbers: [{ e164: '+14155550127', monthlyFeeMinor: 1 }] })).status).toBe(403);
  });
});
