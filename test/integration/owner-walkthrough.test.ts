// Issue 8's "done when", walked over HTTP as the README tells a newcomer: an
// Owner adds a card and sets it for recurring billing, adds two users and a
// number mid-month, files a porting request that the operator completes, lets
// the balance fall through calls to trigger an alert and an auto-recharge, and
// gets a March invoice whose lines and per-user breakdown add up.
//
// The control plane runs in this process, so faking Date (timers stay real)
// fixes the clock of every route; the jobs are called with their `now`.
// Account: Europe/London (GMT in March until the 30th), price list 20.00 USD
// a seat, tax 20 %. Every expected figure is worked out in a comment.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, CsvBody, type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
let owner: Http;
let operator: Http;
let ownerEmail: string;

/** Moves the clock; access tokens last 15 minutes, so both log in again, as they would. */
async function at(iso: string) {
  vi.setSystemTime(new Date(iso));
  if (!plane) return;
  operator = await plane.as(ADMIN.email, ADMIN.password);
  if (ownerEmail) owner = await plane.as(ownerEmail, 'owner-password-1');
}

const DECK = ['prefix,destination,cost_per_minute,connection_fee,increments,effective_date', '447,UK mobile,0.05,0,60/60,2030-01-01'].join('\n');
const FREE = { kind: 'fixed', perMinuteMicros: 0 };
const PLAN = {
  name: 'UK prepaid',
  billing: 'prepaid',
  currency: 'USD',
  allow: {
    incoming: true, publicNetwork: true, extensions: true, networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: false, toll_free: true, premium: false },
  },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
  // mobile at 0.50 USD a minute: 500,000 micros = 50 cents
  prices: { local: FREE, national: FREE, mobile: { kind: 'fixed', perMinuteMicros: 500_000 }, international: FREE, toll_free: FREE, premium: FREE },
};

let accountId: string;
const users: Record<string, string> = {};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  await at('2036-02-10T10:00:00Z');
  plane = await startTestPlane({ CALLPLANE_TAX_RATE_BP: '2000', CALLPLANE_BILLING_INTERVAL: '0', CALLPLANE_USAGE_CHECK_INTERVAL: '0' });
  operator = plane.operator;
  const operatorAccount = (await operator.get('/me')).body.account.id;
  expect((await operator.put(`/accounts/${operatorAccount}/price-list`, { currency: 'USD', seatPriceMinor: 2000 })).status).toBe(200);
  expect((await operator.post('/number-inventory', { numbers: [{ e164: '+442079460000', areaCode: '20', monthlyFeeMinor: 1000, setupFeeMinor: 250 }] })).status).toBe(201);
  expect((await operator.request('post', '/rate-decks?name=UK&currency=USD&effectiveFrom=2030-01-01T00:00:00Z&wait=true', new CsvBody(DECK))).status).toBe(201);
  const acct = await customerAccount(plane, 'Acme Dental', plane.operator, { country: 'GB', timezone: 'Europe/London' });
  ({ id: accountId, owner, ownerEmail } = acct);
});

afterAll(async () => {
  await plane?.stop();
  vi.useRealTimers();
});

const path = (rest = '') => `/accounts/${accountId}${rest}`;
const balance = async () => (await owner.get(path('/balance'))).body.balanceMinor as number;

describe('an owner’s first months, as the README walks them', () => {
  it('10 Feb: adds a card, then a second one for recurring billing, and tops up 100.00 USD', async () => {
    const visa = await owner.post(path('/payment-methods'), { card: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2040 } });
    expect(visa.status).toBe(201);
    expect(visa.body).toMatchObject({ brand: 'visa', last4: '4242', isDefault: true });
    const mc = await owner.post(path('/payment-methods'), { card: { number: '5555 5555 5555 4444', expMonth: 6, expYear: 2041 } });
    expect(mc.body.isDefault).toBe(false);
    expect((await owner.post(path(`/payment-methods/${mc.body.id}/default`))).status).toBeLessThan(300);
    const cards = (await owner.get(path('/payment-methods'))).body.items;
    expect(cards.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { last4: string }) => c.last4)).toEqual(['4444']);
    expect((await owner.post(path('/topups'), { amountMinor: 10_000, currency: 'USD', idempotencyKey: 'first-topup' })).status).toBe(201);
    expect(await balance()).toBe(10_000);
  });

  it('10 Feb: one billed user for Alice; February is prorated', async () => {
    // 2036 is a leap year: February has 29 days; the 10th to the 29th is 20 days.
    // 2000 × 20 / 29 = 1379.31 → 1379
    const seats = await owner.put(path('/subscription/seats'), { quantity: 1 });
    expect(seats.body.proration).toMatchObject({ amountMinor: -1379 });
    const alice = await owner.post(path('/subaccounts'), { name: 'Alice' });
    expect(alice.status).toBe(201);
    users.alice = alice.body.id;
    expect(await balance()).toBe(10_000 - 1379); // 8621
  });

  it('1 Mar: the billing job charges March’s billed user in advance', async () => {
    await at('2036-03-01T00:30:00Z');
    const cycle = await plane.features.invoices.runBillingCycle(new Date());
    expect(cycle.charged).toBe(1);
    expect(await balance()).toBe(8621 - 2000); // 6621
  });

  it('16 Mar: a user beyond the billed ones is refused until the owner raises billed users by two', async () => {
    await at('2036-03-16T10:00:00Z');
    const refused = await owner.post(path('/subaccounts'), { name: 'Bob' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', field: 'seats' });
    // 16th to 31st = 16 days of 31: 2 × 2000 × 16 / 31 = 2064.52 → 2065
    const raised = await owner.put(path('/subscription/seats'), { quantity: 3 });
    expect(raised.body.proration).toMatchObject({ amountMinor: -2065 });
    for (const name of ['Bob', 'Carol']) {
      const sub = await owner.post(path('/subaccounts'), { name, costCentre: name === 'Carol' ? 'case-7731' : null });
      expect(sub.status).toBe(201);
      users[name.toLowerCase()] = sub.body.id;
    }
    expect((await owner.get(path('/subscription'))).body).toMatchObject({ seats: 3, subaccounts: 3 });
    expect(await balance()).toBe(6621 - 2065); // 4556
  });

  it('16 Mar: buys a London number; its fee is prorated and the setup fee charged', async () => {
    const found = await owner.get(path('/available-numbers?areaCode=20'));
    expect(found.body.items.map((n: { e164: string }) => n.e164)).toEqual(['+442079460000']);
    // 1000 × 16 / 31 = 516.13 → 516, and 250 setup
    const bought = await owner.post(path('/number-purchases'), { number: '+442079460000' });
    expect(bought.status).toBe(201);
    expect(await balance()).toBe(4556 - 516 - 250); // 3790
  });

  it('16 Mar: files a porting request that the operator takes in progress and completes', async () => {
    const filed = await owner.post(path('/service-requests'), {
      kind: 'porting', numbers: ['+442079460101', '+442079460102'],
      losingCarrier: 'Old Telco', carrierAccountNumber: 'ACC-99812', carrierPin: '5542', accountName: 'Acme Dental Ltd',
      serviceAddress: { street: '1 High St', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
      billingTelephoneNumber: '+442079460101', requestedDate: '2036-03-25',
      authorizationSigner: { name: 'Ada Owner', title: 'Director' },
      destination: { kind: 'subaccount', id: users.alice },
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'open', details: { carrierPinMasked: '****42' } });
    const req = path(`/service-requests/${filed.body.id}`);
    const queue = (await operator.get('/service-requests?status=open')).body.items.map((r: { id: string }) => r.id);
    expect(queue).toContain(filed.body.id);
    expect((await operator.post(`${req}/status`, { status: 'in_progress' })).body.status).toBe('in_progress');
    // the operator reads the PIN to give the losing carrier: staff only, audited without the PIN
    expect((await owner.post(`${req}/carrier-pin`)).status).toBe(403);
    expect((await operator.post(`${req}/carrier-pin`)).body).toEqual({ carrierPin: '5542' });
    const audit = (await owner.get(path('/audit?limit=5'))).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'reveal carrier PIN')).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain('5542');
    const done = await operator.post(`${req}/status`, { status: 'done' });
    expect(done.body).toMatchObject({ status: 'done', outcome: { numbers: ['+442079460101', '+442079460102'] } });
    expect((await operator.post(`${req}/carrier-pin`)).status).toBe(409);
    const numbers = (await owner.get(path('/numbers'))).body.items.map((n: { number?: string; e164?: string }) => n.e164 ?? n.number);
    expect(numbers).toEqual(expect.arrayContaining(['+442079460000', '+442079460101', '+442079460102']));
  });

  it('20 Mar: calls bring the balance below the alert level (one alert) and then below the recharge level (one recharge)', async () => {
    const settings = await owner.put(path('/usage-settings'), {
      alertThresholdMinor: 3000, alertEmails: ['billing@acme.example'],
      autoRecharge: { enabled: true, belowMinor: 2000, amountMinor: 2500, maxPerDay: 2 },
    });
    expect([settings.status, settings.body]).toEqual([200, expect.anything()]);
    const plan = await operator.post(path('/charging-plans'), PLAN);
    expect(plan.status).toBe(201);
    for (const who of ['bob', 'carol']) {
      expect((await owner.put(path(`/subaccounts/${users[who]}/charging-plan`), { chargingPlanId: plan.body.id })).status).toBe(200);
    }
    await at('2036-03-20T10:30:00Z');
    const call = async (who: string, startedAt: string, billableSeconds: number) => {
      const callUuid = crypto.randomUUID();
      const reply = await operator.post('/calls/complete', {
        callUuid, subaccountId: users[who], dialed: '+447400123456', startedAt, answeredAt: startedAt, billableSeconds,
      });
      expect([reply.status, reply.body]).toEqual([200, expect.anything()]);
      return reply.body.chargeMinor as number;
    };
    // Bob: 30 minutes at 50 cents = 1500; 3790 → 2290, below 3000: the alert
    expect(await call('bob', '2036-03-20T10:00:00Z', 1800)).toBe(1500);
    expect(await balance()).toBe(2290);
    // Carol: 10 minutes = 500; 2290 → 1790, below 2000: 25.00 charged to the default card → 4290
    expect(await call('carol', '2036-03-20T10:10:00Z', 600)).toBe(500);
    expect(await balance()).toBe(4290);
    // a retried job changes nothing
    await plane.features.usage.runUsageChecks(new Date());
    expect(await balance()).toBe(4290);

    const alerts = (await owner.get(path('/usage-alerts'))).body.items;
    expect(alerts.map((a: { kind: string }) => a.kind)).toEqual(['balance_below_threshold']);
    const outbox = (await owner.get(path('/outbox'))).body.items;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ channel: 'email', status: 'stored' });
    const recharges = (await owner.get(path('/charges?kind=auto_recharge'))).body.items;
    expect(recharges).toHaveLength(1);
    const cards = (await owner.get(path('/payment-methods'))).body.items;
    const mastercard = cards.find((c: { last4: string }) => c.last4 === '4444');
    expect(recharges[0]).toMatchObject({ status: 'succeeded', amountMinor: 2500, currency: 'USD', paymentMethodId: mastercard.id });
  });

  it('1 Apr: the March invoice: lines, per-user calls and totals add up', async () => {
    await at('2036-04-01T01:00:00Z');
    const cycle = await plane.features.invoices.runBillingCycle(new Date());
    expect(cycle.invoiced).toBe(1);
    const list = (await owner.get(path('/invoices'))).body.items;
    const march = list.find((i: { period: string }) => i.period === '2036-03');
    const invoice = (await owner.get(path(`/invoices/${march.id}`))).body;
    const lines = invoice.lines.map((l: { section: string; amountMinor: number }) => [l.section, l.amountMinor]);
    expect(lines).toEqual([
      ['subscription', 2000], // billed users × 1, charged on 1 March
      ['subscription', 250], // the number's setup fee
      ['proration', 2065], // billed users 1 → 3 from the 16th
      ['proration', 516], // the number's fee from the 16th
      ['usage', 1500], // Bob: one 30-minute call
      ['usage', 500], // Carol: one 10-minute call
    ]);
    // per user: Bob 1500 + Carol 500 = 2000, the usage total
    expect(invoice.usage.bySubaccount.map((u: { name: string; calls: number; amountMinor: number }) => [u.name, u.calls, u.amountMinor])).toEqual([
      ['Bob', 1, 1500],
      ['Carol', 1, 500],
    ]);
    expect(invoice.usage.totalMinor).toBe(2000);
    expect(invoice.usage.byProject).toEqual([
      { project: 'case-7731', calls: 1, amountMinor: 500 },
      { project: null, calls: 1, amountMinor: 1500 },
    ]);
    // 2000 + 250 + 2065 + 516 + 1500 + 500 = 6831; tax 20 % = 1366.2 → 1366; total 8197
    expect(invoice).toMatchObject({ currency: 'USD', subtotalMinor: 6831, taxMinor: 1366, totalMinor: 8197 });
    expect(invoice.lines.reduce((sum: number, l: { amountMinor: number }) => sum + l.amountMinor, 0)).toBe(invoice.subtotalMinor);
    // the top-up and the auto-recharge moved money and are not billed
    expect(invoice.lines.some((l: { description: string }) => /top-up|recharge/i.test(l.description))).toBe(false);
  });
});
