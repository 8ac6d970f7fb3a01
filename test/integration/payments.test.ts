// Payment methods and manual top-ups over HTTP: only the account's owner
// touches cards, card numbers are never stored, a refused card is a 402 that
// leaves the ledger untouched.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/billing/index.js';
import type { TestPaymentProvider } from '../../server/payments/index.js';
import { type Http, type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane({ CALLPLANE_USAGE_CHECK_INTERVAL: '0' });
});
afterAll(() => plane.stop());

const VISA = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099 };
const DECLINED = { number: '4000000000000002', expMonth: 12, expYear: 2099 };
const EXPIRED_AT_BANK = { number: '4000000000000069', expMonth: 12, expYear: 2099 };

async function withLogins(name: string) {
  const acct = await customerAccount(plane, name);
  const pw = 'login-password-1';
  const admin = `admin@${name.toLowerCase().replace(/\W/g, '')}.example`;
  await acct.owner.post(`/accounts/${acct.id}/users`, { email: admin, role: 'admin', password: pw });
  return { ...acct, admin: await plane.as(admin, pw) };
}

const cards = (client: Http, id: string) => client.get(`/accounts/${id}/payment-methods`);

describe('payment methods', () => {
  it('only the owner adds, defaults and removes cards; staff may list them; admins get 403', async () => {
    const acct = await withLogins('Cards Co');
    const added = await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ provider: 'test', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2099, isDefault: true });
    expect(added.body).not.toHaveProperty('token');

    for (const client of [acct.admin, plane.operator]) {
      expect((await client.post(`/accounts/${acct.id}/payment-methods`, { card: VISA })).status).toBe(403);
      expect((await client.delete(`/accounts/${acct.id}/payment-methods/${added.body.id}`)).status).toBe(403);
      expect((await client.post(`/accounts/${acct.id}/topups`, { amountMinor: 100 })).status).toBe(403);
    }
    expect((await cards(acct.admin, acct.id)).status).toBe(403);
    expect((await cards(plane.operator, acct.id)).body.items).toHaveLength(1);
  });

  it('never stores or echoes a card number', async () => {
    const acct = await customerAccount(plane, 'Secret Co');
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    const stored = await sql<{ text: string }>`select (
        select coalesce(string_agg(row_to_json(p)::text, ''), '') from payment_methods p) || (
        select coalesce(string_agg(row_to_json(a)::text, ''), '') from audit_log a) as text`.execute(plane.db);
    expect(stored.rows[0]!.text).not.toContain('4242424242424242');
    expect(stored.rows[0]!.text).not.toContain('4242 4242 4242 4242');
  });

  it.each([
    ['an expiry in the past', { card: { ...VISA, expMonth: 1, expYear: 2020 } }, 'expiry'],
    ['both a card and a token', { card: VISA, token: 'tok_x' }, 'token'],
    ['a token the provider does not know', { token: 'tok_live_nothing' }, 'token'],
    ['a number that is not a test card', { card: { ...VISA, number: '4111111111111111' } }, 'card.number'],
    ['a month 13', { card: { ...VISA, expMonth: 13 } }, 'card.expMonth'],
  ])('refuses %s naming the field', async (_what, body, field) => {
    const acct = await customerAccount(plane, 'Bad Card Co');
    const reply = await acct.owner.post(`/accounts/${acct.id}/payment-methods`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
    expect((await cards(acct.owner, acct.id)).body.items).toHaveLength(0);
  });

  it('keeps exactly one default while cards remain; removing the default names its successor; the last leaves none', async () => {
    const acct = await customerAccount(plane, 'Default Co');
    const path = `/accounts/${acct.id}/payment-methods`;
    const first = (await acct.owner.post(path, { card: VISA })).body;
    const second = (await acct.owner.post(path, { card: { ...VISA, number: '5555555555554444' } })).body;
    expect(second).toMatchObject({ brand: 'mastercard', last4: '4444', isDefault: false });
    expect((await acct.owner.post(`${path}/${second.id}/default`)).body.isDefault).toBe(true);
    const defaults = async () => (await cards(acct.owner, acct.id)).body.items.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { id: string }) => c.id);
    expect(await defaults()).toEqual([second.id]);

    const refused = await acct.owner.delete(`${path}/${second.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('newDefaultId');
    expect((await acct.owner.delete(`${path}/${second.id}?newDefaultId=${first.id}`)).status).toBe(204);
    expect(await defaults()).toEqual([first.id]);
    expect((await acct.owner.delete(`${path}/${first.id}`)).status).toBe(204);
    expect((await cards(acct.owner, acct.id)).body.items).toEqual([]);
  });
});

describe('top-ups', () => {
  const provider = () => plane.features.paymentMethods.provider as TestPaymentProvider;

  it('charges the default card and credits the balance with one ledger top-up', async () => {
    const acct = await customerAccount(plane, 'Topup Co');
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    const reply = await acct.owner.post(`/accounts/${acct.id}/topups`, { amountMinor: 2_500, currency: 'EUR' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ balanceMinor: 2_500, charge: { kind: 'topup', status: 'succeeded', amountMinor: 2_500, currency: 'EUR' } });
    const entries = await plane.db.selectFrom('ledger_entries').selectAll().where('account_id', '=', acct.id).execute();
    expect(entries.map((e) => [e.kind, Number(e.amount_minor)])).toEqual([['topup', 2_500]]);
    expect(Number(entries[0]!.id)).toBe(reply.body.charge.ledgerEntryId);
  });

  it.each([
    ['declined', DECLINED, /declined/],
    ['expired at the bank', EXPIRED_AT_BANK, /expired/],
  ])('answers a %s card with 402 and writes nothing to the ledger', async (_what, card, message) => {
    const acct = await customerAccount(plane, 'Declined Co');
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card });
    const reply = await acct.owner.post(`/accounts/${acct.id}/topups`, { amountMinor: 1_000, currency: 'EUR' });
    expect(reply.status).toBe(402);
    expect(reply.body.error).toMatchObject({ code: 'payment_declined', field: 'paymentMethodId' });
    expect(reply.body.error.message).toMatch(message);
    expect(await balanceOf(plane.db, acct.id)).toMatchObject({ balanceMinor: 0, currency: undefined });
    const charges = (await acct.owner.get(`/accounts/${acct.id}/charges`)).body.items;
    expect(charges).toMatchObject([{ kind: 'topup', status: card === DECLINED ? 'declined' : 'expired', ledgerEntryId: null }]);
  });

  it('charges once for a repeated idempotency key', async () => {
    const acct = await customerAccount(plane, 'Retry Co');
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    const before = provider().succeededCount;
    const body = { amountMinor: 700, currency: 'EUR', idempotencyKey: 'order-12345678' };
    const replies = await Promise.all([1, 2, 3].map(() => acct.owner.post(`/accounts/${acct.id}/topups`, body)));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(provider().succeededCount - before).toBe(1);
    expect((await balanceOf(plane.db, acct.id)).balanceMinor).toBe(700);
  });

  it('needs a card and a currency, and keeps the balance’s currency', async () => {
    const acct = await customerAccount(plane, 'Nocard Co');
    const path = `/accounts/${acct.id}/topups`;
    expect((await acct.owner.post(path, { amountMinor: 100, currency: 'EUR' })).body.error.field).toBe('paymentMethodId');
    await acct.owner.post(`/accounts/${acct.id}/payment-methods`, { card: VISA });
    expect((await acct.owner.post(path, { amountMinor: 100 })).body.error.field).toBe('currency');
    expect((await acct.owner.post(path, { amountMinor: 0, currency: 'EUR' })).body.error.field).toBe('amountMinor');
    expect((await acct.owner.post(path, { amountMinor: 100, currency: 'EUR' })).status).toBe(201);
    expect((await acct.owner.post(path, { amountMinor: 100, currency: 'USD' })).body.error.field).toBe('currency');
    expect((await acct.owner.post(path, { amountMinor: 100 })).status).toBe(201);
  });
});
