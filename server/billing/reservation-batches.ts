// The batch an authorization's reservation joins: one GroupCommit per
// database, whose batches are one call of reserve_calls. A request the batch
// could not settle for its account (the funds cover less than the longest
// call, or the account has no balance row yet) is finished by its caller in a
// transaction; the same account's later requests in that batch wait for it
// and ask again, so they end as if they had come one after another.
import type { Database } from '../db/index.js';
import { GroupCommit } from './group-commit.js';
import { type ReserveOutcome, type ReserveRequest, reserveCalls } from './ledger.repository.js';

type Unsettled = Extract<ReserveOutcome, { outcome: 'short' | 'no_balance' }>;

export type Reservation =
  | Exclude<ReserveOutcome, Unsettled | { outcome: 'deferred' }>
  /** the caller finishes this request itself, then calls settled() to let the account's deferred requests go on */
  | (Unsettled & { settled: () => void })
  /** ask again once `after` resolves */
  | { outcome: 'deferred'; after: Promise<void> };

/**
 * Batches at the database at once. One: against two (each an equal share of
 * what is outstanding), one at a time gave more throughput and lower latency
 * on 2 cores — each batch pays a commit and a fixed cost, and two backends
 * competed with node for the cores.
 */
const MAX_IN_FLIGHT = 1;

const batches = new WeakMap<Database, GroupCommit<ReserveRequest, Reservation>>();

/** Reserves through the database's batches; inside a transaction, alone and in that transaction. */
export function reserveInBatch(db: Database, request: ReserveRequest): Promise<Reservation> {
  if (db.isTransaction) return withGates(db, [request]).then((results) => results[0]!);
  let batch = batches.get(db);
  if (!batch) {
    batch = new GroupCommit((requests) => withGates(db, requests), { maxInFlight: MAX_IN_FLIGHT });
    batches.set(db, batch);
  }
  return batch.submit(request);
}

/**
 * PostgreSQL aborted the statement to break a deadlock, or for a serialization
 * conflict: nothing of the batch was written, so it is sent once more rather
 * than refusing every call in it. (Every writer locks balance rows before
 * reservation rows, so a deadlock should not happen; this is the net.)
 */
const RETRIED = new Set(['40P01', '40001']);

async function reserveRetried(db: Database, requests: ReserveRequest[]): Promise<ReserveOutcome[]> {
  try {
    return await reserveCalls(db, requests);
  } catch (error) {
    // inside a transaction the abort is the transaction's: its caller decides
    if (db.isTransaction || !RETRIED.has((error as { code?: unknown }).code as string)) throw error;
    return reserveCalls(db, requests);
  }
}

async function withGates(db: Database, requests: ReserveRequest[]): Promise<Reservation[]> {
  const outcomes = await reserveRetried(db, requests);
  const gates = new Map<string, Promise<void>>();
  return outcomes.map((result, i): Reservation => {
    const account = requests[i]!.account_id;
    if (result.outcome === 'short' || result.outcome === 'no_balance') {
      let settled!: () => void;
      gates.set(account, new Promise<void>((resolve) => (settled = resolve)));
      return { ...result, settled };
    }
    if (result.outcome === 'deferred') return { outcome: 'deferred', after: gates.get(account) ?? Promise.resolve() };
    return result;
  });
}
