// Cancellation takes effect at the end of the account's billing period: the
// account keeps working until then, and closeDueAccounts closes it once due.
// The period is the calendar month on the account's wall clock (seed 003:
// monthly billing from the 1st); when billing periods get their own feature,
// periodEnd is the one function to point at it.
import type { Caller } from '../accounts/index.js';
import { recordAudit } from '../accounts/index.js';
import type { Database } from '../db/index.js';
import { closeDue, setClosesAt } from './closing.repository.js';

/** The wall-clock fields in `timezone` at the instant `at`, read back as if they were UTC. */
function wallClockAsUtc(at: Date, timezone: string): number {
  const part: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  for (const p of format.formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  return Date.UTC(part.year!, part.month! - 1, part.day, part.hour, part.minute, part.second);
}

/** The first instant of the next calendar month in `timezone`, after `now`. Pure. */
export function periodEnd(now: Date, timezone: string): Date {
  const wall = new Date(wallClockAsUtc(now, timezone));
  const target = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1);
  // Local midnight of the 1st minus the zone's offset then; a second pass settles a DST change in between.
  let guess = target - (wallClockAsUtc(new Date(target), timezone) - target);
  guess = target - (wallClockAsUtc(new Date(guess), timezone) - guess);
  return new Date(guess);
}

/** Marks the account to close at `at` (inside the transaction completing a cancellation). */
export async function scheduleClosing(trx: Database, caller: Caller, accountId: string, at: Date): Promise<void> {
  const before = await setClosesAt(trx, accountId, at);
  await recordAudit(trx, caller, {
    accountId, entity: 'account', entityId: accountId, action: 'update (closes at period end)',
    before: { closesAt: before?.toISOString() ?? null }, after: { closesAt: at.toISOString() },
  });
}

const SYSTEM: Caller = { userId: null, label: 'system', role: 'operator', accountId: '', subaccountId: null };

/** Closes every account whose closing time has come; returns their ids. Run it on a timer (control-plane.ts). */
export async function closeDueAccounts(db: Database, now: Date): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const closed = await closeDue(trx, now);
    for (const id of closed) {
      await recordAudit(trx, SYSTEM, { accountId: id, entity: 'account', entityId: id, action: 'update (closed: cancellation due)', after: { status: 'closed' } });
    }
    return closed;
  });
}

/**
 * Runs closeDueAccounts every `intervalMs` until stopped; a run in flight
 * finishes before stop() resolves. `onClosed` hears of each run that closed
 * accounts (the routing directory drops them at once).
 */
export function closeAccountsEvery(
  db: Database,
  intervalMs: number,
  onError: (error: unknown) => void,
  onClosed: (accountIds: string[]) => void = () => {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = closeDueAccounts(db, new Date())
      .then((closed) => {
        if (closed.length) onClosed(closed);
      })
      .catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
