// Authorizations in batches (group commit): the requests that wait while a
// batch is at the database go together as one reserve_calls statement. These
// pin what a batch must keep: requests for one account end exactly as if they
// came one after another (the last refused when the funds run out, the
// balance never overdrawn), allowed and refused calls in one batch each get
// their own answer through the calls API, and a failed batch fails each of its
// requests with an error instead of leaving any waiting.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../server/billing/index.js';
import { type ReserveRequest, reserveCalls } from '../../server/billing/ledger.repository.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { askNational, fundedAccount as funded } from '../support/authorization.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(async () => {
  await plane.stop();
});

const fundedAccount = (name: string, topupMinor: number, currency?: string) => funded(plane, name, topupMinor, currency);

const BERLIN = '+493012345678';
const NEW_YORK = '+12125551234';
const NO_INTERNATIONAL = {
  name: 'National only', billing: 'prepaid', currency: 'EUR',
  allow: {
    incoming: true, publicNetwork: true, extensions: true, networkNumbers: true,
    classes: { local: true, national: true, mobile: true, international: false, toll_free: true, premium: false },
  },
  segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 60 },
  prices: Object.fromEntries(['local', 'national', 'mobile', 'international', 'toll_free', 'premium'].map((c) => [c, { kind: 'fixed', perMinuteMicros: 50_000 }])),
};

/** An account whose subaccount calls under NO_INTERNATIONAL, topped up through the API. */
async function planned(name: string, topupMinor: number) {
  const acct = await customerAccount(plane, name, plane.operator, { country: 'DE', timezone: 'Europe/Berlin' });
  const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk' })).body.id as string;
  const plan = (await plane.operator.post(`/accounts/${acct.id}/charging-plans`, NO_INTERNATIONAL)).body.id as string;
  expect((await acct.owner.put(`/accounts/${acct.id}/subaccounts/${sub}/charging-plan`, { chargingPlanId: plan })).status).toBe(200);
  expect((await plane.operator.post(`/accounts/${acct.id}/ledger`, { kind: 'topup', amountMinor: topupMinor, currency: 'EUR' })).status).toBe(201);
  return { id: acct.id, sub };
}

const ask = (accountId: string, subaccountId: string, callUuid?: string) => askNational(plane, accountId, subaccountId, callUuid);

describe('one batch statement', () => {
  const request = (accountId: string, subaccountId: string, changes: Partial<ReserveRequest> = {}): ReserveRequest => ({
    call_uuid: crypto.randomUUID(), account_id: accountId, subaccount_id: subaccountId, currency: 'EUR',
    reserved_minor: 25, max_seconds: 600, least_minor: 7, ...changes,
  });

  it('decides the requests of one account in order, as one after another would', async () => {
    const rich = await fundedAccount('Batch Rich Co', 60);
    const poor = await fundedAccount('Batch Poor Co', 50);
    const repeated = request(rich.id, rich.sub);
    const outcomes = await reserveCalls(plane.db, [
      repeated,
      request(poor.id, poor.sub),
      { ...repeated }, // the same call again: the reservation just made
      request(rich.id, rich.sub),
      request(poor.id, poor.sub),
      request(rich.id, rich.sub), // 10 left: less than the cap's 25, more than the first minute's 7
      request(poor.id, poor.sub), // 0 left: not even the first minute
      request(rich.id, rich.sub), // waits for the one before to be settled by its caller
      request(rich.id, rich.sub, { currency: 'USD' }),
    ]);
    expect(outcomes).toEqual([
      { outcome: 'reserved' },
      { outcome: 'reserved' },
      { outcome: 'existing', existing: { account_id: rich.id, released: false, max_seconds: 600, reserved_minor: 25 } },
      { outcome: 'reserved' },
      { outcome: 'reserved' },
      { outcome: 'short', availableMinor: 10 },
      { outcome: 'refused' },
      { outcome: 'deferred' },
      { outcome: 'currency', currency: 'EUR' },
    ]);
    expect(await balanceOf(plane.db, rich.id)).toMatchObject({ balanceMinor: 60, heldMinor: 50, availableMinor: 10 });
    expect(await balanceOf(plane.db, poor.id)).toMatchObject({ balanceMinor: 50, heldMinor: 50, availableMinor: 0 });
  });

  it('answers an account without a balance row yet as such, and defers its later requests', async () => {
    const fresh = await fundedAccount('Batch Fresh Co', 0);
    expect(await reserveCalls(plane.db, [request(fresh.id, fresh.sub), request(fresh.id, fresh.sub)]))
      .toEqual([{ outcome: 'no_balance' }, { outcome: 'deferred' }]);
  });
});

describe('authorizations at the same time', () => {
  it('answers several for one account in the order asked: caps, then what the rest pays, then 402', async () => {
    const { id, sub } = await fundedAccount('Sequential Co', 60);
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask(id, sub)));
    expect(answers.map((a) => (a.allowed ? a.reservedMinor : a.reason))).toEqual([
      25, 25, 10, 'insufficient_funds', 'insufficient_funds', 'insufficient_funds',
    ]);
    const balance = await balanceOf(plane.db, id);
    expect(balance).toMatchObject({ balanceMinor: 60, heldMinor: 60, availableMinor: 0 });
  });

  it('answers each call of a mixed batch through the calls API: allowed, 403 for the plan, 402 for the funds', async () => {
    const rich = await planned('Mixed Rich Co', 10_000);
    const broke = await planned('Mixed Broke Co', 3); // the first minute costs 5 cents
    const calls = [
      { who: rich, dialed: BERLIN, expected: { allowed: true, maxSeconds: 14_400 } },
      { who: rich, dialed: NEW_YORK, expected: { allowed: false, sipStatus: 403, reason: 'not_allowed' } },
      { who: broke, dialed: BERLIN, expected: { allowed: false, sipStatus: 402, reason: 'insufficient_funds' } },
    ];
    const asked = [...calls, ...calls, ...calls];
    const replies = await Promise.all(asked.map((c) => plane.operator.post('/calls/authorize', { subaccountId: c.who.sub, dialed: c.dialed })));
    replies.forEach((reply, i) => {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject(asked[i]!.expected);
    });
    expect((await balanceOf(plane.db, rich.id)).heldMinor).toBe(3 * 1_200); // 4 hours at 5 cents a minute, three times
    expect((await balanceOf(plane.db, broke.id)).heldMinor).toBe(0);
  });

  it('fails each authorization of a batch whose statement fails, leaves none waiting, and works again after', async () => {
    const { id, sub } = await fundedAccount('Failing Batch Co', 1_000);
    await sql`alter function reserve_calls rename to reserve_calls_away`.execute(plane.db);
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => ask(id, sub)));
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/reserve_calls/);
    } finally {
      await sql`alter function reserve_calls_away rename to reserve_calls`.execute(plane.db);
    }
    expect(await ask(id, sub)).toEqual({ allowed: true, maxSeconds: 600, reservedMinor: 25 });
    expect((await balanceOf(plane.db, id)).heldMinor).toBe(25);
  });

  it('sends a batch PostgreSQL aborted as a deadlock once more, and answers every call in it', async () => {
    const { id, sub } = await fundedAccount('Deadlocked Batch Co', 1_000);
    const signature = 'uuid[], uuid[], uuid[], text[], bigint[], integer[], bigint[]';
    // reserve_calls, wrapped: its first call fails as PostgreSQL fails a deadlock's victim (a sequence, as the
    // abort rolls back anything else it could write)
    await sql.raw(`alter function reserve_calls(${signature}) rename to reserve_calls_real`).execute(plane.db);
    await sql.raw(`create sequence reserve_calls_tries`).execute(plane.db);
    await sql.raw(`create function reserve_calls(a uuid[], b uuid[], c uuid[], d text[], e bigint[], f integer[], g bigint[])
      returns table (r_outcome text, r_currency text, r_available_minor bigint, r_account_id uuid, r_released boolean,
                     r_max_seconds integer, r_reserved_minor bigint) language plpgsql as $$
      begin
        if nextval('reserve_calls_tries') = 1 then raise exception 'deadlock detected' using errcode = '40P01'; end if;
        return query select * from reserve_calls_real(a, b, c, d, e, f, g);
      end $$`).execute(plane.db);
    try {
      const answers = await Promise.all(Array.from({ length: 3 }, () => ask(id, sub)));
      expect(answers).toEqual(Array(3).fill({ allowed: true, maxSeconds: 600, reservedMinor: 25 }));
      const { rows } = await sql<{ tries: string }>`select last_value as tries from reserve_calls_tries`.execute(plane.db);
      expect(Number(rows[0]!.tries)).toBeGreaterThanOrEqual(2);
    } finally {
      await sql.raw(`drop function reserve_calls(${signature})`).execute(plane.db);
      await sql.raw(`drop sequence reserve_calls_tries`).execute(plane.db);
      await sql.raw(`alter function reserve_calls_real(${signature}) rename to reserve_calls`).execute(plane.db);
    }
    expect((await balanceOf(plane.db, id)).heldMinor).toBe(75);
  });

  it('refuses a call id that is not a UUID alone, without failing the batch it would have joined', async () => {
    const { id, sub } = await fundedAccount('Bad Id Co', 1_000);
    const outcomes = await Promise.allSettled([ask(id, sub), ask(id, sub, 'not-a-uuid'), ask(id, sub)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid', field: 'callUuid' });
  });
});
