// Charging through the API, as the README walks a newcomer through it: import a
// rate deck, create a prepaid plan "no international, mobile at +20 % of cost,
// 60/6 increments", give a user €5, place calls through the calls API the switch
// uses, see the credit run out, and read the month's report (JSON, CSV, PDF)
// with totals that add up across a month boundary in Europe/Berlin.
import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvBody, type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

const DECK = [
  'prefix,destination,cost_per_minute,connection_fee,increments,effective_date',
  '49,Germany fixed,0.02,0,60/60,2026-01-01',
  '4915,Germany mobile,0.10,0,60/6,2026-01-01',
  '4917,Germany mobile,0.10,0,60/6,2026-01-01',
  '1,USA,0.01,0,60/60,2026-01-01',
].join('\n');

const FREE = { kind: 'fixed', perMinuteMicros: 0 };
const PREPAID = {
  name: 'Prepaid 5 EUR',
  billing: 'prepaid',
  currency: 'EUR',
  allow: {
    incoming: true, publicNetwork: true, extensions: true, networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: false, toll_free: true, premium: false },
  },
  initialCreditMinor: { outgoing: 500, incoming: 0 },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 6 },
  prices: {
    local: { kind: 'fixed', perMinuteMicros: 30_000 },
    national: { kind: 'fixed', perMinuteMicros: 50_000 },
    mobile: { kind: 'relative', markupBasisPoints: 2_000 },
    international: { kind: 'relative', markupBasisPoints: 0 },
    toll_free: FREE,
    premium: { kind: 'relative', markupBasisPoints: 0 },
  },
};
const MOBILE = '+4915112345678';
const BERLIN = '+493012345678';

let plane: TestPlane;
let accountId: string;
let owner: Http;
let anna: { id: string; name: string };
let ben: { id: string };
let planId: string;

const authorize = (subaccountId: string, dialed: string, callUuid: string = crypto.randomUUID()) =>
  plane.operator.post('/calls/authorize', { callUuid, subaccountId, dialed });
const complete = (subaccountId: string, dialed: string, callUuid: string, startedAt: string, billableSeconds: number) =>
  plane.operator.post('/calls/complete', { callUuid, subaccountId, dialed, startedAt, answeredAt: startedAt, billableSeconds });
const balance = async () => (await owner.get(`/accounts/${accountId}/balance`)).body;

beforeAll(async () => {
  plane = await startTestPlane();
  const acct = await customerAccount(plane, 'Charging GmbH', plane.operator, { country: 'DE', timezone: 'Europe/Berlin' });
  accountId = acct.id;
  owner = acct.owner;
  anna = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Anna', costCentre: 'project-x' })).body;
  ben = (await owner.post(`/accounts/${accountId}/subaccounts`, { name: 'Ben' })).body;
});

afterAll(async () => {
  await plane?.stop();
});

describe('rate decks', () => {
  it('lists every bad row with its line and field and imports nothing', async () => {
    const bad = `${DECK}\n0049,Leading zero,0.01,0,60/60,2026-01-01\n44,UK,cheap,0,60/60,2026-01-01\n`;
    const reply = await plane.operator.request('post', '/rate-decks?name=Broken&currency=EUR', new CsvBody(bad));
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('csv');
    expect(reply.body.error.details).toEqual([
      expect.objectContaining({ line: 6, field: 'prefix' }),
      expect.objectContaining({ line: 7, field: 'cost_per_minute' }),
    ]);
    expect((await plane.operator.get('/rate-decks')).body).toEqual([]);
  });

  it('imports a deck, showing its progress until it is ready', async () => {
    const reply = await plane.operator.request('post', '/rate-decks?name=Carrier%20A&currency=EUR&effectiveFrom=2026-01-01T00:00:00Z&wait=true', new CsvBody(DECK));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ name: 'Carrier A', status: 'ready', rowsTotal: 4, rowsDone: 4, progressPercent: 100, prefixCount: 4 });
    expect((await plane.operator.get(`/rate-decks/${reply.body.id}`)).body.status).toBe('ready');
  });

  it('is the operator’s alone', async () => {
    expect((await owner.request('post', '/rate-decks?name=Mine&currency=EUR', new CsvBody(DECK))).status).toBe(403);
    expect((await owner.get('/rate-decks')).status).toBe(403);
  });
});

describe('a prepaid plan and its initial credit', () => {
  it('is written by staff, not by the account’s owner', async () => {
    expect((await owner.post(`/accounts/${accountId}/charging-plans`, PREPAID)).status).toBe(403);
    const created = await plane.operator.post(`/accounts/${accountId}/charging-plans`, PREPAID);
    expect(created.status).toBe(201);
    planId = created.body.id;
    expect((await plane.operator.post(`/accounts/${accountId}/charging-plans`, PREPAID)).body.error).toMatchObject({ code: 'conflict', field: 'name' });
  });

  it('refuses a plan with a bad price or increments, naming the field', async () => {
    const bad = { ...PREPAID, name: 'Bad', segments: { ...PREPAID.segments, nextIncrementSeconds: 0 } };
    const reply = await plane.operator.post(`/accounts/${accountId}/charging-plans`, bad);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('segments.nextIncrementSeconds');
  });

  it('gives €5 once when the owner assigns it to a user, however often it is assigned', async () => {
    const path = `/accounts/${accountId}/subaccounts/${anna.id}/charging-plan`;
    expect((await owner.put(path, { chargingPlanId: planId })).body).toMatchObject({ initialCreditMinor: 500 });
    expect((await owner.put(path, { chargingPlanId: null })).status).toBe(200);
    expect((await owner.put(path, { chargingPlanId: planId })).body).toMatchObject({ initialCreditMinor: 0 });
    expect(await balance()).toMatchObject({ currency: 'EUR', balanceMinor: 500, heldMinor: 0, availableMinor: 500 });
  });

  it('cannot be removed while a subaccount has it', async () => {
    const reply = await plane.operator.delete(`/accounts/${accountId}/charging-plans/${planId}`);
    expect(reply.status).toBe(409);
    expect(reply.body.error.message).toContain('Anna');
  });

  it('cannot be in another currency than the balance', async () => {
    const reply = await plane.operator.post(`/accounts/${accountId}/charging-plans`, { ...PREPAID, name: 'Dollars', currency: 'USD' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('currency');
  });
});

describe('calls through the API the switch uses', () => {
  const mobileCall = crypto.randomUUID();

  it('authorizes a mobile call for as long as €5 pays at cost +20 % in 60/6 blocks, and holds the €5', async () => {
    const reply = await authorize(anna.id, MOBILE, mobileCall);
    // 0.10 €/min + 20 % = 0.12 €/min = 0.002 €/s; 2496 s (60 + 406 × 6) cost 4.992 € → 5.00 €; 2502 s would cost 5.01 €
    expect(reply.body).toMatchObject({ outcome: 'route', callClass: 'mobile', e164: MOBILE, allowed: true, maxSeconds: 2496, reservedMinor: 500 });
    expect(await balance()).toMatchObject({ balanceMinor: 500, heldMinor: 500, availableMinor: 0 });
    // nothing left for a second call while the first holds it all
    expect((await authorize(anna.id, BERLIN)).body).toMatchObject({ allowed: false, reason: 'insufficient_funds', sipStatus: 402 });
  });

  it('charges the finished call once, however often the switch reports it, and alerts at once when it crosses the threshold', async () => {
    expect((await owner.put(`/accounts/${accountId}/usage-settings`, { alertThresholdMinor: 490, alertEmails: ['billing@charging.example'] })).status).toBe(200);
    // 95 s → 60 + 6 × 6 = 96 s billed → 0.192 € → 0.20 € (rounded up once, at the end)
    const first = await complete(anna.id, MOBILE, mobileCall, '2026-11-10T10:00:00Z', 95);
    expect(first.body).toEqual({ callUuid: mobileCall, recorded: true, chargeMinor: 20, billableSeconds: 96 });
    const again = await complete(anna.id, MOBILE, mobileCall, '2026-11-10T10:00:00Z', 95);
    expect(again.body).toMatchObject({ recorded: false });
    expect(await balance()).toMatchObject({ balanceMinor: 480, heldMinor: 0, availableMinor: 480 });
    const charges = (await owner.get(`/accounts/${accountId}/ledger?kind=call_charge`)).body.items;
    expect(charges).toEqual([expect.objectContaining({ amountMinor: -20, callUuid: mobileCall, subaccountId: anna.id })]);
    // 500 → 480 crossed 490: the alert is written by the settlement, not by the next usage job run
    const alerts = (await owner.get(`/accounts/${accountId}/usage-alerts`)).body;
    expect(alerts.items ?? alerts).toHaveLength(1);
  });

  it('refuses international calls the plan does not allow, and calls of a user without a plan', async () => {
    // routing reads the plan too: the call is refused before any money is looked at
    expect((await authorize(anna.id, '+12125550100')).body).toMatchObject({ outcome: 'reject', allowed: false, reason: 'not_allowed', sipStatus: 403 });
    expect((await authorize(ben.id, MOBILE)).body).toMatchObject({ outcome: 'reject', allowed: false, sipStatus: 403 });
  });

  it('cuts the call when the credit runs out and never lets the balance go below zero', async () => {
    expect((await plane.operator.post(`/accounts/${accountId}/ledger`, { kind: 'adjustment', amountMinor: -470, currency: 'EUR', memo: 'test' })).status).toBe(201);
    const callUuid = crypto.randomUUID();
    // 10 cents at 0.05 €/min in 60/6 blocks: 120 s exactly
    expect((await authorize(anna.id, BERLIN, callUuid)).body).toMatchObject({ allowed: true, maxSeconds: 120, reservedMinor: 10 });
    // the switch reports 500 s (it should have hung up at 120): only the authorized 120 s are charged
    const done = await complete(anna.id, BERLIN, callUuid, '2026-11-30T23:30:00Z', 500);
    expect(done.body).toMatchObject({ chargeMinor: 10, billableSeconds: 120 });
    expect(await balance()).toMatchObject({ balanceMinor: 0, heldMinor: 0 });
    expect((await authorize(anna.id, BERLIN)).body).toMatchObject({ allowed: false, reason: 'insufficient_funds', sipStatus: 402 });
  });

  it('is the operator’s alone: an account cannot report its own calls', async () => {
    expect((await owner.post('/calls/authorize', { subaccountId: anna.id, dialed: MOBILE })).status).toBe(403);
  });
});

describe('monthly call-cost reports', () => {
  const report = (query: string, as: Http = owner) => as.get(`/accounts/${accountId}/reports/calls?${query}`);

  it('puts a call at 23:30 UTC on 30 November into December in Berlin', async () => {
    const november = (await report('month=2026-11')).body;
    expect(november).toMatchObject({ timezone: 'Europe/Berlin', from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z', currency: 'EUR' });
    // seconds are the calls' own (as the switch recorded them), costs what the ledger charged
    expect(november.totals).toEqual({ calls: 1, answered: 1, billableSeconds: 95, costMinor: 20 });
    const december = (await report('month=2026-12')).body;
    expect(december.totals).toEqual({ calls: 1, answered: 1, billableSeconds: 500, costMinor: 10 });
    const utc = (await report('month=2026-11&timezone=UTC')).body;
    expect(utc.totals.costMinor).toBe(30);
  });

  it('breaks the month down by class, subaccount and cost centre, each adding up to the total', async () => {
    const body = (await report('month=2026-11&timezone=UTC')).body;
    expect(body.byClass.map((l: { key: string; costMinor: number }) => [l.key, l.costMinor])).toEqual([['mobile', 20], ['national', 10]]);
    expect(body.bySubaccount).toEqual([expect.objectContaining({ label: 'Anna', calls: 2, costMinor: 30 })]);
    expect(body.byCostCentre).toEqual([expect.objectContaining({ label: 'project-x', costMinor: 30 })]);
    for (const lines of [body.byClass, body.bySubaccount, body.byCostCentre]) {
      expect(lines.reduce((sum: number, l: { costMinor: number }) => sum + l.costMinor, 0)).toBe(body.totals.costMinor);
    }
  });

  it('downloads as CSV whose rows add up to its total line', async () => {
    const res = await fetch(`${owner.base}/accounts/${accountId}/reports/calls?month=2026-11&timezone=UTC&format=csv`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('calls-2026-11.csv');
    const rows: string[][] = parse(await res.text(), { relax_column_count: true, skip_empty_lines: true });
    expect(rows[0]).toEqual(['started', 'subaccount', 'cost_centre', 'direction', 'class', 'number', 'billable_seconds', 'cost_EUR']);
    const calls = rows.slice(1, 3);
    // numbers as the account shows them (international, its default display format)
    expect(calls.map((r) => [r[0], r[5], r[7]])).toEqual([['2026-11-10 10:00:00', '+49 1511 2345678', '0.20'], ['2026-11-30 23:30:00', '+49 30 12345678', '0.10']]);
    expect(rows.at(-1)).toEqual(['total', '2', '2', '595', '0.30']);
  });

  it('downloads as a printable PDF with the total', async () => {
    const res = await fetch(`${owner.base}/accounts/${accountId}/reports/calls?month=2026-11&timezone=UTC&format=pdf`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const text = shownText(pdf);
    expect(text).toContain('Call costs - Charging GmbH');
    expect(text).toContain('Total: 2 calls, 2 answered, 9.9 minutes, 0.30 EUR');
    expect(text).toContain('project-x: 2 calls, 9.9 min, 0.30 EUR');
  });

  it('shows a user login only its own subaccount’s report', async () => {
    await owner.post(`/accounts/${accountId}/users`, { email: 'ben@charging.example', role: 'user', password: 'ben-password-1', subaccountId: ben.id });
    const benLogin = await plane.as('ben@charging.example', 'ben-password-1');
    const own = (await report('month=2026-11', benLogin)).body;
    expect(own).toMatchObject({ subaccountId: ben.id, totals: { calls: 0, costMinor: 0 } });
    expect((await report(`month=2026-11&subaccountId=${anna.id}`, benLogin)).status).toBe(403);
    expect((await benLogin.get(`/accounts/${accountId}/ledger`)).body.items).toEqual([]);
  });

  it('shows numbers in the account’s display format in the call list and the report, and each call’s charge', async () => {
    expect((await owner.patch(`/accounts/${accountId}`, { numberFormat: { style: 'national' } })).status).toBe(200);
    const list = (await owner.get(`/accounts/${accountId}/cdrs?subaccountId=${anna.id}`)).body.items as { callee: string; chargeMinor: number; display: { callee: string } }[];
    expect(list.map((c) => [c.callee, c.display.callee, c.chargeMinor])).toEqual([[BERLIN, '030 12345678', 10], [MOBILE, '01511 2345678', 20]]);
    const calls = (await report('month=2026-11&timezone=UTC')).body.calls as { numberDisplay: string }[];
    expect(calls.map((c) => c.numberDisplay)).toEqual(['01511 2345678', '030 12345678']);
    expect((await owner.patch(`/accounts/${accountId}`, { numberFormat: { style: 'international' } })).status).toBe(200);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    const reply = await report('month=2026-13');
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe('month');
  });
});

/** The text lines an uncompressed PDF shows: each TJ array's hex strings, decoded. */
function shownText(pdf: string): string[] {
  return [...pdf.matchAll(/\[(.*)\] TJ/g)].map((m) =>
    [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''),
  );
}
