// Authorization's common path: when the funds cover the longest call allowed
// (the cap), the balance row is locked, the funds checked and the cap's charge
// reserved by one reserve_calls statement (alone, or in a batch with others).
// These tests pin what that path must keep: the same answer for a repeated call, credit limits, the exact
// reservation when the funds cover less, and — on PostgreSQL — that a
// reservation committed while it waited for the lock is counted. And the
// balance a user sees while calls settle adds up.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Balance, balanceOf, ratedCharge } from '../../server/billing/index.js';
import { type TestPlane, onPostgres, startTestPlane } from '../support/plane.js';
import { CAP, NOW, deck, fundedAccount as funded, national, untilWaitingForALock, askNational, settleNational } from '../support/authorization.js';
import { samplePlan } from '../unit/billing/sample-plan.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(async () => {
  await plane.stop();
});

const fundedAccount = (name: string, topupMinor: number, currency?: string) => funded(plane, name, topupMinor, currency);

const ask = (accountId: string, subaccountId: string, callUuid?: string) => askNational(plane, accountId, subaccountId, callUuid);

async function reservationCount(callUuid: string): Promise<number> {
  return (await plane.db.selectFrom('call_reservations').select('call_uuid').where('call_uuid', '=', callUuid).execute()).length;
}

/** The longest national call (≤ 600 s) that `availableMinor` pays, found by trying every length. */
function longestPaidBy(availableMinor: number): { maxSeconds: number; reservedMinor: number } {
  let found = { maxSeconds: -1, reservedMinor: 0 };
  for (let billsec = 0; billsec <= CAP.maxCallSeconds; billsec++) {
    const charge = ratedCharge({ ...national, answeredAt: NOW, billsec, startedAt: NOW }, samplePlan(), deck);
    if (charge.rated && charge.chargeMinor <= availableMinor) found = { maxSeconds: billsec, reservedMinor: charge.chargeMinor };
  }
  return found;
}

describe('authorization when the funds cover the cap', () => {
  it('reserves the cap’s charge once, answers a repeated call alike, and refuses the call to another account or once settled', async () => {
    const { id, sub } = await fundedAccount('One Trip Co', 1_000);
    const callUuid = crypto.randomUUID();
    const answer = await ask(id, sub, callUuid);
    expect(answer).toEqual({ allowed: true, maxSeconds: 600, reservedMinor: 25 });
    expect(await ask(id, sub, callUuid)).toEqual(answer);
    expect(await reservationCount(callUuid)).toBe(1);
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 1_000, heldMinor: 25, availableMinor: 975 });

    const other = await fundedAccount('Other Co', 1_000);
    await expect(ask(other.id, other.sub, callUuid)).rejects.toMatchObject({ code: 'conflict', field: 'callUuid' });
    await settleNational(plane, id, sub, callUuid, 60);
    await expect(ask(id, sub, callUuid)).rejects.toMatchObject({ code: 'conflict', field: 'callUuid' });
  });

  it('refuses a plan in another currency than the balance and reserves nothing', async () => {
    const { id, sub } = await fundedAccount('Dollar Co', 1_000, 'USD');
    const callUuid = crypto.randomUUID();
    await expect(ask(id, sub, callUuid)).rejects.toMatchObject({ code: 'invalid', field: 'currency' });
    expect(await reservationCount(callUuid)).toBe(0);
  });

  it('stops at the subaccount’s credit limit: the cap while it covers it, then exactly what the rest pays, then nothing', async () => {
    const { id, sub } = await fundedAccount('Limited Co', 1_000);
    await plane.db.insertInto('subaccount_credit_limits').values({ subaccount_id: sub, limit_minor: 60 }).execute();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(id, sub));
    expect(answers.slice(0, 2)).toEqual([
      { allowed: true, maxSeconds: 600, reservedMinor: 25 },
      { allowed: true, maxSeconds: 600, reservedMinor: 25 },
    ]);
    expect(answers[2]).toEqual({ allowed: true, ...longestPaidBy(10) });
    expect(answers[3]).toMatchObject({ allowed: false, reason: 'insufficient_funds' });
    expect((await balanceOf(plane.db, id)).heldMinor).toBeLessThanOrEqual(60);
  });

  it('reserves at the same time exactly what one after another would: four caps, then what the last 10 cents pay', async () => {
    const { id, sub } = await fundedAccount('Crowd Co', 110);
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask(id, sub)));
    const reserved = answers.flatMap((a) => (a.allowed ? [a.reservedMinor] : [])).sort((a, b) => b - a);
    expect(reserved).toEqual([25, 25, 25, 25, longestPaidBy(10).reservedMinor]);
    expect(answers.filter((a) => a.allowed).map((a) => a.allowed && a.maxSeconds).sort((a, b) => Number(b) - Number(a)))
      .toEqual([600, 600, 600, 600, longestPaidBy(10).maxSeconds]);
    expect(answers.filter((a) => !a.allowed)).toHaveLength(15);
    expect((await balanceOf(plane.db, id)).availableMinor).toBe(110 - 100 - longestPaidBy(10).reservedMinor);
  });

  it('counts a reservation committed while it waited for the balance row', async () => {
    const { id, sub } = await fundedAccount('Waiting Co', 40);
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(plane.db);
    let pending: ReturnType<typeof ask> | undefined;
    await plane.db.transaction().execute(async (trx) => {
      await trx.selectFrom('account_balances').select('account_id').where('account_id', '=', id).forUpdate().execute();
      pending = ask(id, sub);
      if (onPostgres) await untilWaitingForALock(rows[0]!.name);
      // another authorization, holding the lock, takes 25 of the 40 cents
      await trx.insertInto('call_reservations')
        .values({ call_uuid: crypto.randomUUID(), account_id: id, subaccount_id: sub, reserved_minor: 25, max_seconds: 600, released_at: null })
        .execute();
    });
    // 15 cents left: the waiting call reserves what they pay, not the cap's 25 that the 40 it saw before it waited would
    expect(longestPaidBy(15).maxSeconds).toBeLessThan(600);
    expect(await pending).toEqual({ allowed: true, ...longestPaidBy(15) });
    expect((await balanceOf(plane.db, id)).availableMinor).toBe(0);
  });
});

describe('the balance shown while calls settle', () => {
  it('shows a settling call either held or charged, never released but uncharged', async () => {
    const { id, sub } = await fundedAccount('Settling Co', 10_000);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const callUuid = crypto.randomUUID();
      await ask(id, sub, callUuid); // holds 25
      const before = await balanceOf(plane.db, id);
      const views: Balance[] = [];
      let settled = false;
      const settling = settleNational(plane, id, sub, callUuid, 60).finally(() => (settled = true)); // 7 cents
      const watch = async () => {
        while (!settled) views.push(await balanceOf(plane.db, id));
      };
      await Promise.all([settling, watch(), watch(), watch()]);
      for (const view of views) {
        const held = view.heldMinor === before.heldMinor && view.balanceMinor === before.balanceMinor;
        const charged = view.heldMinor === before.heldMinor - 25 && view.balanceMinor === before.balanceMinor - 7;
        seen.add(held ? 'held' : charged ? 'charged' : `inconsistent ${JSON.stringify(view)}`);
      }
    }
    expect([...seen].filter((s) => s.startsWith('inconsistent'))).toEqual([]);
  });
});
