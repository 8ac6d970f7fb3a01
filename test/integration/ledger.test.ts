// Balances, the ledger, authorization and settlement on a real database:
// PGlite in memory, or a fresh PostgreSQL database when DATABASE_URL is set
// (CI), where the simultaneous authorizations really race for the balance row.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallClass,
  type CallDirection,
  type ChargingPlan,
  type CdrToSettle,
  RateDeckIndex,
  authorizeCall,
  balanceOf,
  postEntry,
  ratedCharge,
  settleCall,
} from '../../server/billing/index.js';
import { type TestPlane, customerAccount, onPostgres, startTestPlane } from '../support/plane.js';
import { SAMPLE_DECK_ROWS, samplePlan } from '../unit/billing/sample-plan.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(async () => {
  if (onPostgres) await closePool();
  await plane.stop();
});

/**
 * The concurrent tests leave a full pool of connections. pg-pool's end()
 * resolves before its clients' sockets close, and stop() then drops the
 * database WITH (FORCE), which kills those backends: the closing clients report
 * 57P01 as an uncaught error. So close the pool first and wait until the
 * server has no session left on the test database.
 */
async function closePool(): Promise<void> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(plane.db);
  await plane.db.destroy();
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const sessions = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [rows[0]!.name]);
      if (sessions.rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

const deck = new RateDeckIndex(SAMPLE_DECK_ROWS);
const NOW = new Date('2026-11-23T10:00:00Z');
const national = { class: 'national' as const, direction: 'outgoing' as const, dialedDigits: '4930123456' };

async function fundedAccount(name: string, topupMinor: number) {
  const acct = await customerAccount(plane, name);
  const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk' })).body.id as string;
  if (topupMinor > 0) {
    await postEntry(plane.db, { accountId: acct.id, kind: 'topup', amountMinor: topupMinor, currency: 'EUR', createdBy: 'test' });
  }
  return { id: acct.id, sub };
}

type Call = { class: CallClass; direction: CallDirection; dialedDigits: string };

function cdrOf(accountId: string, subaccountId: string, callUuid: string, billsec: number, call: Call = national): CdrToSettle {
  return { ...call, callUuid, accountId, subaccountId, answeredAt: NOW, billsec, startedAt: NOW };
}

async function entriesSum(accountId: string): Promise<number> {
  const rows = await plane.db.selectFrom('ledger_entries').select('amount_minor').where('account_id', '=', accountId).execute();
  return rows.reduce((sum, r) => sum + Number(r.amount_minor), 0);
}

async function reservationsOf(callUuid: string) {
  return plane.db.selectFrom('call_reservations').selectAll().where('call_uuid', '=', callUuid).execute();
}

describe('the ledger', () => {
  it('keeps the balance equal to the sum of the entries, and refuses bad entries', async () => {
    const { id, sub } = await fundedAccount('Ledger Co', 1_000);
    await postEntry(plane.db, { accountId: id, kind: 'initial_credit', amountMinor: 500, currency: 'EUR', createdBy: 'test' });
    const posted = await postEntry(plane.db, {
      accountId: id, subaccountId: sub, kind: 'adjustment', amountMinor: -200, currency: 'EUR', memo: 'goodwill reversal', createdBy: 'test',
    });
    expect(posted.balanceMinor).toBe(1_300);
    expect(posted.entry).toMatchObject({ kind: 'adjustment', amount_minor: -200, subaccount_id: sub });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 1_300, currency: 'EUR', heldMinor: 0, availableMinor: 1_300 });
    expect(await entriesSum(id)).toBe(1_300);

    const bad = (changes: object) => postEntry(plane.db, { accountId: id, kind: 'topup', amountMinor: 100, currency: 'EUR', createdBy: 'test', ...changes });
    await expect(bad({ amountMinor: -100 })).rejects.toMatchObject({ code: 'invalid', field: 'amountMinor' });
    await expect(bad({ kind: 'subscription' })).rejects.toMatchObject({ code: 'invalid', field: 'amountMinor' });
    await expect(bad({ amountMinor: 1.5 })).rejects.toMatchObject({ code: 'invalid', field: 'amountMinor' });
    await expect(bad({ kind: 'call_charge', amountMinor: -5 })).rejects.toMatchObject({ code: 'invalid', field: 'callUuid' });
    await expect(bad({ currency: 'USD' })).rejects.toMatchObject({ code: 'invalid', field: 'currency' });
    // without the overdraft guard (postpaid) a debit may take the balance below 0; with it (prepaid) it is refused
    expect((await bad({ kind: 'subscription', amountMinor: -1_301 })).balanceMinor).toBe(-1);
    await postEntry(plane.db, { accountId: id, kind: 'topup', amountMinor: 1_301, currency: 'EUR', createdBy: 'test' });
    await expect(
      postEntry(plane.db, { accountId: id, kind: 'subscription', amountMinor: -1_301, currency: 'EUR', createdBy: 'test' }, { noOverdraft: true }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect((await balanceOf(plane.db, id)).balanceMinor).toBe(await entriesSum(id));
  });
});

describe('authorization', () => {
  it('100 simultaneous authorizations never reserve more than the balance', async () => {
    // national: 0.05 EUR fee + 0.02 EUR/min; a 600 s cap costs 25 cents, > 1/100 of 10.10 EUR
    const { id, sub } = await fundedAccount('Race Co', 1_010);
    const plan = samplePlan();
    const calls = Array.from({ length: 100 }, () => crypto.randomUUID());
    const answers = await Promise.all(
      calls.map((callUuid) =>
        authorizeCall(plane.db, { callUuid, accountId: id, subaccountId: sub, plan, call: national, deck }, NOW, { maxCallSeconds: 600 }),
      ),
    );
    const allowed = answers.flatMap((a, i) => (a.allowed ? [{ ...a, callUuid: calls[i]! }] : []));
    const reserved = allowed.reduce((sum, a) => sum + a.reservedMinor, 0);
    expect(reserved).toBeLessThanOrEqual(1_010);
    expect(reserved).toBeGreaterThan(1_010 - 7); // what is left cannot pay a first block (7 cents)
    // each reserves a full 600 s (25 cents), but the last one the remainder
    expect(allowed.filter((a) => a.reservedMinor === 25).length).toBeGreaterThanOrEqual(allowed.length - 1);
    expect(answers.filter((a) => !a.allowed).every((a) => !a.allowed && a.reason === 'insufficient_funds')).toBe(true);
    const balance = await balanceOf(plane.db, id);
    expect(balance).toMatchObject({ balanceMinor: 1_010, heldMinor: reserved });
    expect(balance.availableMinor).toBeGreaterThanOrEqual(0);

    // every allowed call talks to its limit: the balance lands on ≥ 0, reservations all released
    await Promise.all(allowed.map((a) => settleCall(plane.db, cdrOf(id, sub, a.callUuid, a.maxSeconds), plan, deck, NOW)));
    const after = await balanceOf(plane.db, id);
    expect(after.balanceMinor).toBe(1_010 - reserved);
    expect(after.balanceMinor).toBeGreaterThanOrEqual(0);
    expect(after.heldMinor).toBe(0);
    expect(await entriesSum(id)).toBe(after.balanceMinor);
  });

  it('reserves exactly what the longest covered call costs, and its CDR charges no more', async () => {
    const { id, sub } = await fundedAccount('Exact Co', 100);
    const plan = samplePlan();
    const mobile = { class: 'mobile' as const, direction: 'outgoing' as const, dialedDigits: '447700900123' };
    const callUuid = crypto.randomUUID();
    const answer = await authorizeCall(plane.db, { callUuid, accountId: id, subaccountId: sub, plan, call: mobile, deck }, NOW);
    // 5 cents fee + 0.2 cents a second (0.12 EUR/min): 475 s would cost 100, but 60/60/6 segments bill it as 480;
    // 474 s (60 + 69 × 6) costs 99.8 → 100 cents
    expect(answer).toEqual({ allowed: true, maxSeconds: 474, reservedMinor: 100 });
    const longer = ratedCharge({ ...mobile, answeredAt: NOW, billsec: 475, startedAt: NOW }, plan, deck);
    expect(longer.rated && longer.chargeMinor).toBeGreaterThan(100);
    // asking again for the same call returns the same reservation
    expect(await authorizeCall(plane.db, { callUuid, accountId: id, subaccountId: sub, plan, call: mobile, deck }, NOW)).toEqual(answer);
    expect(await authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: id, subaccountId: sub, plan, call: mobile, deck }, NOW))
      .toMatchObject({ allowed: false, reason: 'insufficient_funds' });

    const settled = await settleCall(plane.db, cdrOf(id, sub, callUuid, 474, mobile), plan, deck, NOW);
    expect(settled).toMatchObject({ charged: true, released: true, rating: { rated: true, chargeMinor: 100 } });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 0, heldMinor: 0 });
    expect((await reservationsOf(callUuid))[0]!.released_at).toBeInstanceOf(Date);
  });

  it('charges a repeated CDR once, also when both copies arrive at the same time', async () => {
    const { id, sub } = await fundedAccount('Twice Co', 1_000);
    const plan = samplePlan();
    const first = crypto.randomUUID();
    await authorizeCall(plane.db, { callUuid: first, accountId: id, subaccountId: sub, plan, call: national, deck }, NOW);
    const cdr = cdrOf(id, sub, first, 125); // 126 s: 5 + 4.2 → 10 cents
    expect(await settleCall(plane.db, cdr, plan, deck, NOW)).toMatchObject({ charged: true, released: true });
    expect(await settleCall(plane.db, cdr, plan, deck, NOW)).toMatchObject({ charged: false, released: false });
    expect((await balanceOf(plane.db, id)).balanceMinor).toBe(990);

    const second = cdrOf(id, sub, crypto.randomUUID(), 125);
    const both = await Promise.all([settleCall(plane.db, second, plan, deck, NOW), settleCall(plane.db, second, plan, deck, NOW)]);
    expect(both.filter((s) => s.charged)).toHaveLength(1);
    expect((await balanceOf(plane.db, id)).balanceMinor).toBe(980);
    expect(await entriesSum(id)).toBe(980);
    const charges = await plane.db.selectFrom('ledger_entries').select('call_uuid').where('account_id', '=', id).where('kind', '=', 'call_charge').execute();
    expect(charges).toHaveLength(2);
  });

  it('refuses what the plan does not allow, and calls it cannot price', async () => {
    const { id, sub } = await fundedAccount('Deny Co', 1_000);
    const plan = samplePlan();
    const ask = (call: { class: 'premium' | 'international'; direction: 'outgoing'; dialedDigits: string }) =>
      authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: id, subaccountId: sub, plan, call, deck }, NOW);
    expect(await ask({ class: 'premium', direction: 'outgoing', dialedDigits: '4990012345' })).toMatchObject({ allowed: false, reason: 'class' });
    expect(await ask({ class: 'international', direction: 'outgoing', dialedDigits: '8612345678' })).toMatchObject({ allowed: false, reason: 'no_rate' });
    expect((await balanceOf(plane.db, id)).heldMinor).toBe(0);
  });

  it('lets free on-net calls and postpaid accounts through without a reservation; limits a subaccount by its credit limit', async () => {
    const { id, sub } = await fundedAccount('Free Co', 0);
    const onNet = { class: 'extension' as const, direction: 'outgoing' as const, dialedDigits: '102' };
    const free = crypto.randomUUID();
    expect(await authorizeCall(plane.db, { callUuid: free, accountId: id, subaccountId: sub, plan: samplePlan(), call: onNet, deck }, NOW))
      .toEqual({ allowed: true, maxSeconds: 4 * 3_600, reservedMinor: 0 });
    expect(await reservationsOf(free)).toHaveLength(0);
    expect(await settleCall(plane.db, cdrOf(id, sub, free, 300, onNet), samplePlan(), deck, NOW)).toMatchObject({ charged: false, rating: { free: true } });

    expect(await authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: id, subaccountId: sub, plan: samplePlan(), call: national, deck }, NOW))
      .toMatchObject({ allowed: false, reason: 'insufficient_funds' });
    const postpaid: ChargingPlan = samplePlan({ billing: 'postpaid', initialCreditMinor: { outgoing: 0, incoming: 0 } });
    const owed = crypto.randomUUID();
    expect(await authorizeCall(plane.db, { callUuid: owed, accountId: id, subaccountId: sub, plan: postpaid, call: national, deck }, NOW, { maxCallSeconds: 7_200 }))
      .toEqual({ allowed: true, maxSeconds: 7_200, reservedMinor: 0 });
    await settleCall(plane.db, cdrOf(id, sub, owed, 125), postpaid, deck, NOW);
    expect((await balanceOf(plane.db, id)).balanceMinor).toBe(-10); // postpaid may go below zero

    const { id: shared, sub: limited } = await fundedAccount('Limit Co', 1_000);
    await plane.db.insertInto('subaccount_credit_limits').values({ subaccount_id: limited, limit_minor: 30 }).execute();
    const a = await authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: shared, subaccountId: limited, plan: samplePlan(), call: national, deck }, NOW);
    expect(a).toMatchObject({ allowed: true, maxSeconds: 750, reservedMinor: 30 });
    expect(await authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: shared, subaccountId: limited, plan: samplePlan(), call: national, deck }, NOW))
      .toMatchObject({ allowed: false, reason: 'insufficient_funds' });
    expect(await authorizeCall(plane.db, { callUuid: crypto.randomUUID(), accountId: shared, subaccountId: null, plan: samplePlan(), call: national, deck }, NOW))
      .toMatchObject({ allowed: true, reservedMinor: 485 });
  });
});
