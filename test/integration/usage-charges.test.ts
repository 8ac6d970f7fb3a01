// Usage charges over a real database: threshold alerts once per crossing,
// signed webhooks to a local server with bounded retries, auto-recharge that
// never charges twice (concurrent and repeated jobs), at most N per day in the
// account's timezone, and the retry rule after a decline.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, postEntry } from '../../server/billing/index.js';
import type { TestPaymentProvider } from '../../server/payments/index.js';
import { SIGNATURE_HEADER, webhookSignature } from '../../server/usage/index.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_USAGE_CHECK_INTERVAL: '0' });
});
afterAll(() => plane.stop());

const VISA = { number: '4242424242424242', expMonth: 12, expYear: 2099 };
const DECLINED = { number: '4000000000000002', expMonth: 12, expYear: 2099 };
const SECRET = 'whsec-test-0123456789';
const T0 = new Date('2026-11-23T10:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const usage = () => plane.features.usage;
const provider = () => plane.features.paymentMethods.provider as TestPaymentProvider;

async function move(accountId: string, amountMinor: number) {
  await postEntry(plane.db, { accountId, kind: 'adjustment', amountMinor, currency: 'EUR', createdBy: 'test' });
}

async function account(name: string, settings: object, opts: { funds?: number; card?: object; timezone?: string } = {}) {
  const acct = await customerAccount(plane, name, plane.operator, opts.timezone ? { timezone: opts.timezone } : {});
  if (opts.card) expect((await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: opts.card })).status).toBe(201);
  if (opts.funds !== undefined) await postEntry(plane.db, { accountId: acct.id, kind: 'topup', amountMinor: opts.funds, currency: 'EUR', createdBy: 'test' });
  const put = await acct.owner.put(`/accounts/${acct.id}/usage-settings`, settings);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return acct;
}

const recharge = (over: object = {}) => ({ autoRecharge: { enabled: true, belowMinor: 500, amountMinor: 1_000, maxPerDay: 1, ...over } });

describe('threshold alerts', () => {
  it('alert once per crossing: fall, stay below, rise, fall again → 2 alerts, each emailed to the outbox', async () => {
    const acct = await account('Alert Co', { alertThresholdMinor: 500, alertEmails: ['ops@alert.example', 'cfo@alert.example'] }, { funds: 1_000 });
    const alerts = async () => (await acct.owner.get(`/accounts/${acct.id}/usage-alerts`)).body.items as { kind: string; balanceMinor: number }[];
    const steps: [number, number][] = [[0, 0], [-600, 1], [-100, 1], [0, 1], [+800, 1], [-800, 2]];
    for (const [i, [change, expected]] of steps.entries()) {
      if (change) await move(acct.id, change);
      await usage().afterBalanceChange(acct.id, later(i));
      expect(await alerts()).toHaveLength(expected);
    }
    expect((await alerts()).map((a) => a.balanceMinor)).toEqual([300, 400]); // newest first: the second fall (to 300), then the first (to 400)
    const outbox = (await acct.owner.get(`/accounts/${acct.id}/outbox`)).body.items;
    expect(outbox).toHaveLength(4);
    expect(outbox.every((m: { channel: string; status: string }) => m.channel === 'email' && m.status === 'stored')).toBe(true);
    expect(outbox[0].body).toContain('below your alert threshold of 5.00 EUR');
  });

  it.each([
    ['a malformed webhook URL', { webhookUrl: 'not a url', webhookSecret: SECRET }, 'webhookUrl'],
    ['a non-http webhook URL', { webhookUrl: 'ftp://hooks.example/x', webhookSecret: SECRET }, 'webhookUrl'],
    ['a webhook without a secret', { webhookUrl: 'https://hooks.example/x' }, 'webhookSecret'],
    ['a bad email', { alertEmails: ['nobody'] }, 'alertEmails.0'],
    ['a fractional threshold', { alertThresholdMinor: 1.5 }, 'alertThresholdMinor'],
    ['a zero recharge amount', recharge({ amountMinor: 0 }), 'autoRecharge.amountMinor'],
  ])('refuses %s naming the field', async (_what, body, field) => {
    const acct = await customerAccount(plane, 'Bad Settings Co');
    const reply = await acct.owner.put(`/accounts/${acct.id}/usage-settings`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('lets an admin set alerts but not auto-recharge, and never shows the webhook secret', async () => {
    const acct = await customerAccount(plane, 'Admin Settings Co');
    await acct.owner.post(`/accounts/${acct.id}/users`, { email: 'admin@adminsettings.example', role: 'admin', password: 'admin-password-1' });
    const admin = await plane.as('admin@adminsettings.example', 'admin-password-1');
    const path = `/accounts/${acct.id}/usage-settings`;
    const alertOnly = { alertThresholdMinor: 100, webhookUrl: 'https://hooks.example/x', webhookSecret: SECRET };
    const reply = await admin.put(path, alertOnly);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ alertThresholdMinor: 100, webhookSecretSet: true });
    expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    expect((await admin.put(path, { ...alertOnly, ...recharge() })).status).toBe(403);
    expect((await acct.owner.put(path, { ...alertOnly, ...recharge() })).body.autoRecharge.enabled).toBe(true);
  });
});

describe('webhooks', () => {
  let server: http.Server;
  let url: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failNext = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = failNext-- > 0 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers the alert with a valid signature, retrying a failed delivery', async () => {
    failNext = 1;
    const acct = await account('Hook Co', { alertThresholdMinor: 500, webhookUrl: url, webhookSecret: SECRET }, { funds: 100 });
    await usage().afterBalanceChange(acct.id, T0);
    const hooks = async () => (await acct.owner.get(`/accounts/${acct.id}/outbox`)).body.items.filter((m: { channel: string }) => m.channel === 'webhook');
    expect(await hooks()).toMatchObject([{ status: 'pending', attempts: 1, responseStatus: 500 }]);

    await usage().runUsageChecks(later(0.5)); // not due yet: the first retry waits a minute
    expect(received).toHaveLength(1);
    await usage().runUsageChecks(later(2));
    expect(await hooks()).toMatchObject([{ status: 'sent', attempts: 2, responseStatus: 204 }]);
    expect(received).toHaveLength(2);

    const last = received[1]!;
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({ event: 'balance_below_threshold', accountId: acct.id, balanceMinor: 100, thresholdMinor: 500, currency: 'EUR' });
    const header = String(last.headers[SIGNATURE_HEADER.toLowerCase()]);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(header).toBe(webhookSignature(SECRET, t, last.body));
    expect(header).not.toBe(webhookSignature('another-secret-0123', t, last.body));
  });

  it('gives up after a bounded number of attempts', async () => {
    failNext = 100;
    const acct = await account('Dead Hook Co', { alertThresholdMinor: 500, webhookUrl: url, webhookSecret: SECRET }, { funds: 100 });
    for (let minutes = 0; minutes <= 100; minutes += 20) await usage().afterBalanceChange(acct.id, later(minutes));
    const [hook] = (await acct.owner.get(`/accounts/${acct.id}/outbox`)).body.items;
    expect(hook).toMatchObject({ channel: 'webhook', status: 'failed', attempts: 5, responseStatus: 500 });
    failNext = 0;
  });
});

describe('auto-recharge', () => {
  it('charges once however many jobs run at the same time or again', async () => {
    const acct = await account('Recharge Co', recharge({ maxPerDay: 3 }), { funds: 400, card: VISA });
    const before = provider().succeededCount;
    await Promise.all([usage().runUsageChecks(T0), usage().runUsageChecks(T0), usage().afterBalanceChange(acct.id, T0)]);
    await usage().runUsageChecks(T0);
    await usage().afterBalanceChange(acct.id, later(1));
    expect(provider().succeededCount - before).toBe(1);
    expect((await balanceOf(plane.db, acct.id)).balanceMinor).toBe(1_400);
    const attempts = (await acct.owner.get(`/accounts/${acct.id}/charges?kind=auto_recharge`)).body.items;
    expect(attempts).toMatchObject([{ status: 'succeeded', seq: 1, day: '2026-11-23', amountMinor: 1_000 }]);
    const entries = await plane.db.selectFrom('ledger_entries').select(['kind', 'amount_minor']).where('account_id', '=', acct.id).execute();
    expect(entries.filter((e) => e.kind === 'topup').map((e) => Number(e.amount_minor))).toEqual([400, 1_000]);
  });

  it('recharges at most N times per day in the account’s timezone', async () => {
    // 23:30 UTC on the 23rd is already the 24th in Tokyo
    const acct = await account('Daily Co', recharge({ belowMinor: 5_000, amountMinor: 100, maxPerDay: 2 }), { funds: 10, card: VISA, timezone: 'Asia/Tokyo' });
    for (const minutes of [0, 1, 2, 3]) await usage().afterBalanceChange(acct.id, later(minutes));
    const lateUtc = new Date('2026-11-23T16:00:00Z'); // 01:00 on the 24th in Tokyo
    await usage().afterBalanceChange(acct.id, lateUtc);
    const attempts = (await acct.owner.get(`/accounts/${acct.id}/charges?kind=auto_recharge`)).body.items as { day: string; seq: number }[];
    expect(attempts.map((a) => `${a.day}#${a.seq}`).sort()).toEqual(['2026-11-23#1', '2026-11-23#2', '2026-11-24#1']);
    expect((await balanceOf(plane.db, acct.id)).balanceMinor).toBe(310);
  });

  it('after a decline: alerts, retries after an hour, stops after 3 declines on the card, resumes with a new default card', async () => {
    const acct = await account('Decline Co', { alertEmails: ['billing@decline.example'], ...recharge() }, { funds: 100, card: DECLINED });
    const statuses = async () =>
      ((await acct.owner.get(`/accounts/${acct.id}/charges?kind=auto_recharge`)).body.items as { status: string }[]).map((a) => a.status).reverse();
    const at = async (minutes: number) => usage().afterBalanceChange(acct.id, later(minutes));
    await at(0);
    expect(await statuses()).toEqual(['declined']);
    await at(30); // too soon
    expect(await statuses()).toEqual(['declined']);
    await at(61);
    await at(122);
    expect(await statuses()).toEqual(['declined', 'declined', 'declined']);
    await at(300); // stopped on this card
    expect(await statuses()).toHaveLength(3);

    const alerts = (await acct.owner.get(`/accounts/${acct.id}/usage-alerts`)).body.items as { kind: string; message: string }[];
    expect(alerts.map((a) => a.kind)).toEqual(['recharge_declined', 'recharge_declined', 'recharge_declined']);
    expect(alerts[0]!.message).toMatch(/declined/);
    const outbox = (await acct.owner.get(`/accounts/${acct.id}/outbox`)).body.items;
    expect(outbox.filter((m: { recipient: string }) => m.recipient === 'billing@decline.example')).toHaveLength(3);

    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA, makeDefault: true });
    await at(301);
    expect(await statuses()).toEqual(['declined', 'declined', 'declined', 'succeeded']);
    expect((await balanceOf(plane.db, acct.id)).balanceMinor).toBe(1_100);
  });

  it('does nothing without a card, and stops when disabled', async () => {
    const acct = await account('No Card Co', recharge(), { funds: 100 });
    await usage().afterBalanceChange(acct.id, T0);
    expect((await acct.owner.get(`/accounts/${acct.id}/charges`)).body.items).toEqual([]);
    await acct.owner.put(`/accounts/${acct.id}/usage-settings`, {});
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    await usage().afterBalanceChange(acct.id, T0);
    expect((await acct.owner.get(`/accounts/${acct.id}/charges`)).body.items).toEqual([]);
  });
});
