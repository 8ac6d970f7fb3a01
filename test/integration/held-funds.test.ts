// What calls in progress hold of an account's funds is kept on its balance row
// (held_minor, by triggers on call_reservations) instead of summed over the
// reservations at every authorization. These pin that the kept total is always
// the sum: through batched and transaction-path reservations, settlement,
// unused and stale releases, a subaccount deleted mid-call, a balance row
// created after reservations exist, and authorizations, settlements and the
// stale sweep all running at once (on PostgreSQL when DATABASE_URL is set:
// real concurrent transactions, which must also never deadlock: every writer
// locks the balance row before reservation rows).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, postEntry, releaseStale, releaseUnused } from '../../server/billing/index.js';
import { releaseReservation } from '../../server/billing/ledger.repository.js';
import { NOW, askNational, fundedAccount as funded, settleNational, untilWaitingForALock } from '../support/authorization.js';
import { type TestPlane, onPostgres, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(async () => {
  await plane.stop();
});

const fundedAccount = (name: string, topupMinor: number) => funded(plane, name, topupMinor);

const ask = (accountId: string, subaccountId: string, callUuid?: string) => askNational(plane, accountId, subaccountId, callUuid);

const settle = (accountId: string, subaccountId: string | null, callUuid: string, billsec: number) =>
  settleNational(plane, accountId, subaccountId, callUuid, billsec);

/** The kept total and the sum it must equal, read in one snapshot. */
async function heldAndSum(accountId: string): Promise<{ held: number; sum: number }> {
  const { rows } = await sql<{ held: string | number; sum: string | number }>`
    select (select held_minor from account_balances where account_id = ${accountId}) as held,
           (select coalesce(sum(reserved_minor), 0) from call_reservations
             where account_id = ${accountId} and released_at is null) as sum`.execute(plane.db);
  return { held: Number(rows[0]!.held), sum: Number(rows[0]!.sum) };
}

describe('the funds calls in progress hold, kept on the balance row', () => {
  it('follows every reservation and release: batch, short call, settlement, unused, stale', async () => {
    const { id, sub } = await fundedAccount('Held Co', 60);
    const calls = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    // 25 + 25 at the cap, then the 10 left buys a shorter call (the transaction path)
    const answers = await Promise.all(calls.map((uuid) => ask(id, sub, uuid)));
    expect(answers.map((a) => a.allowed && a.reservedMinor)).toEqual([25, 25, 10]);
    expect(await heldAndSum(id)).toEqual({ held: 60, sum: 60 });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 60, heldMinor: 60, availableMinor: 0 });

    await settle(id, sub, calls[0]!, 60); // 5 cents fee + 2 for the minute
    expect(await heldAndSum(id)).toEqual({ held: 35, sum: 35 });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 53, availableMinor: 18 });

    await releaseUnused(plane.db, calls[1]!, NOW);
    expect(await heldAndSum(id)).toEqual({ held: 10, sum: 10 });

    await releaseStale(plane.db, new Date(NOW.getTime() + 24 * 3_600_000));
    expect(await heldAndSum(id)).toEqual({ held: 0, sum: 0 });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 53, heldMinor: 0, availableMinor: 53 });
  });

  it('keeps what a deleted subaccount’s calls hold: their funds stay reserved until the calls end', async () => {
    const { id, sub } = await fundedAccount('Leaving Co', 1_000);
    const call = crypto.randomUUID();
    await ask(id, sub, call);
    expect((await plane.operator.delete(`/accounts/${id}/subaccounts/${sub}`)).status).toBe(204);
    expect(await heldAndSum(id)).toEqual({ held: 25, sum: 25 });
    // the CDR of a deleted subaccount's call names no subaccount (its cdrs row's reference was cleared)
    await settle(id, null, call, 0);
    expect(await heldAndSum(id)).toEqual({ held: 0, sum: 0 });
  });

  it('starts a balance row created after reservations were written from what they hold', async () => {
    const { id, sub } = await fundedAccount('Late Balance Co', 0);
    await plane.db
      .insertInto('call_reservations')
      .values({ call_uuid: crypto.randomUUID(), account_id: id, subaccount_id: sub, reserved_minor: 40, max_seconds: 600, released_at: null })
      .execute();
    await postEntry(plane.db, { accountId: id, kind: 'topup', amountMinor: 100, currency: 'EUR', createdBy: 'test' });
    expect(await balanceOf(plane.db, id)).toMatchObject({ balanceMinor: 100, heldMinor: 40, availableMinor: 60 });
  });

  it('stays the sum, with no deadlock, while authorizations, settlements and the stale sweep run at once', async () => {
    const accounts = await Promise.all([0, 1, 2].map((i) => fundedAccount(`Busy Co ${i}`, 10_000)));
    const first = await Promise.all(accounts.flatMap((a) => Array.from({ length: 10 }, () => askFor(a))));
    // a third of the first calls end now, a third were never used, new ones start, and the sweep, with a
    // clock at which every call is long over, releases whatever it finds still held: each row is taken by
    // whichever comes first, and a settlement and the sweep take the same rows in the same order
    const later = new Date(NOW.getTime() + 24 * 3_600_000);
    const work = [
      ...first.filter((_, i) => i % 3 === 0).map((c) => settle(c.id, c.sub, c.callUuid, 120)),
      ...first.filter((_, i) => i % 3 === 1).map((c) => releaseUnused(plane.db, c.callUuid, NOW)),
      ...accounts.flatMap((a) => Array.from({ length: 10 }, () => askFor(a))),
      releaseStale(plane.db, later),
    ];
    await Promise.all(work);
    for (const a of accounts) {
      const { held, sum } = await heldAndSum(a.id);
      expect(held).toBe(sum);
    }
    await releaseStale(plane.db, later);
    for (const a of accounts) expect(await heldAndSum(a.id)).toEqual({ held: 0, sum: 0 });
  });
});

describe('lock order: the balance row before reservation rows', () => {
  it('lets a settlement holding the balance row and the stale sweep release one call without a deadlock', async () => {
    const { id, sub } = await fundedAccount('Late CDR Co', 1_000);
    const call = crypto.randomUUID();
    await ask(id, sub, call);
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(plane.db);
    let sweep: Promise<number> | undefined;
    const released = await plane.db.transaction().execute(async (trx) => {
      // a settlement: it posts the charge first, holding the balance row...
      await trx.selectFrom('account_balances').select('account_id').where('account_id', '=', id).forUpdate().execute();
      // ...while the sweep, its clock past the call's end, starts; it must wait for the balance row before it
      // takes the call's row, or the two would wait for each other (PostgreSQL would abort one as a deadlock)
      sweep = releaseStale(plane.db, new Date(NOW.getTime() + 24 * 3_600_000));
      if (onPostgres) await untilWaitingForALock(rows[0]!.name);
      return releaseReservation(trx, call, NOW);
    });
    expect(released).toBe(true);
    expect(await sweep).toBe(0); // the settlement released it first
    expect(await heldAndSum(id)).toEqual({ held: 0, sum: 0 });
  });
});

async function askFor(account: { id: string; sub: string }) {
  const callUuid = crypto.randomUUID();
  const answer = await ask(account.id, account.sub, callUuid);
  expect(answer.allowed).toBe(true);
  return { ...account, callUuid };
}
