// What the authorization suites share: the sample deck and plan's national
// call, a fixed clock, a cap on call length, an account with one subaccount
// and (unless 0) a top-up, and authorizing and settling that national call.
import crypto from 'node:crypto';
import pg from 'pg';
import { RateDeckIndex, authorizeCall, postEntry, settleCall } from '../../server/billing/index.js';
import { SAMPLE_DECK_ROWS, samplePlan } from '../unit/billing/sample-plan.js';
import { type TestPlane, customerAccount } from './plane.js';

export const deck = new RateDeckIndex(SAMPLE_DECK_ROWS);
export const NOW = new Date('2026-11-23T10:00:00Z');
export const national = { class: 'national' as const, direction: 'outgoing' as const, dialedDigits: '4930123456' };
/** national: 5 cents fee + 2 cents a minute → 25 cents at the cap, 7 for the first minute */
export const CAP = { maxCallSeconds: 600 };

/** Authorizes a national call under the sample plan at NOW, capped at CAP. */
export function askNational(plane: TestPlane, accountId: string, subaccountId: string, callUuid: string = crypto.randomUUID()) {
  return authorizeCall(plane.db, { callUuid, accountId, subaccountId, plan: samplePlan(), call: national, deck }, NOW, CAP);
}

/** Settles that national call's CDR: answered at NOW, `billsec` long. */
export function settleNational(plane: TestPlane, accountId: string, subaccountId: string | null, callUuid: string, billsec: number) {
  const cdr = { ...national, callUuid, accountId, subaccountId, answeredAt: NOW, billsec, startedAt: NOW };
  return settleCall(plane.db, cdr, samplePlan(), deck, NOW);
}

/** An account with a subaccount `Desk`, topped up with `topupMinor` (none when 0). */
export async function fundedAccount(plane: TestPlane, name: string, topupMinor: number, currency = 'EUR'): Promise<{ id: string; sub: string }> {
  const acct = await customerAccount(plane, name);
  const sub = (await acct.owner.post(`/accounts/${acct.id}/subaccounts`, { name: 'Desk' })).body.id as string;
  if (topupMinor > 0) await postEntry(plane.db, { accountId: acct.id, kind: 'topup', amountMinor: topupMinor, currency, createdBy: 'test' });
  return { id: acct.id, sub };
}

/** On PostgreSQL: returns once a session of `database` waits for a lock (an authorization or a release, for a balance row). */
export async function untilWaitingForALock(database: string): Promise<void> {
  // its own connection to the server: the pool's may all be busy
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 500; attempt++) {
      const waiting = await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`,
        [database],
      );
      if (waiting.rows[0]!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no session waited for a lock');
  } finally {
    await admin.end();
  }
}
