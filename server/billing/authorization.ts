// Authorization before a call, settlement after it.
//
// authorizeCall answers the switch's question "may this call go ahead, and for
// how long?": the charging plan must allow it, and for a prepaid account the
// available funds (balance − what other calls in progress hold) must cover the
// call's first billed block. The answer reserves the charge of the longest call
// the funds cover; the switch hangs up at maxSeconds. The check and the
// reservation happen in one transaction holding the account's balance row
// FOR UPDATE, so simultaneous authorizations run one after another and their
// reservations never add up to more than the balance. Authorizations go to
// the database in batches (group commit, reservation-batches.ts): every request
// that arrived while the previous batch ran goes as one statement,
// reserve_calls, which for each request in order locks, checks and reserves
// the cap's charge — one round trip and one commit for the whole batch, and
// several requests for one account end as if they came one after another.
// When the funds cover less than the cap (or the account has no balance row
// yet), a transaction holding the balance row searches the longest call they
// cover; the account's later requests in that batch wait for it.
//
// settleCall rates the call's CDR, posts one call_charge (a repeated CDR finds
// the charge already posted and changes nothing) and releases the reservation,
// in one transaction.
import type { CallReservationRow, Database } from '../db/index.js';
import { Conflict, InvalidField } from '../errors.js';
import type { CallClass, CallDirection } from './call-class.js';
import type { RateLookup } from './deck-index.js';
import { postEntryIn } from './ledger.js';
import {
  creditLimitOf,
  insertReservation,
  lockedBalance,
  releaseReservation,
  releaseStaleReservations,
  reservationOf,
  type ReserveRequest,
  subaccountHeldMinor,
} from './ledger.repository.js';
import { reserveInBatch } from './reservation-batches.js';
import { type CallPermission, type ChargingPlan, callAllowed } from './plan.js';
import { type Cdr, type RatedCharge, type Unrated, ratedCharge } from './rating.js';

/** The longest call authorized when funds do not limit it: postpaid, free and prepaid with ample funds. */
export const DEFAULT_MAX_CALL_SECONDS = 4 * 3_600;

export interface CallToAuthorize {
  /** The A-leg's uuid: the CDR's call_uuid, and the reservation's key. */
  callUuid: string;
  accountId: string;
  subaccountId: string | null;
  plan: ChargingPlan;
  call: { class: CallClass; direction: CallDirection; dialedDigits: string };
  deck: RateLookup;
}

export interface AuthorizeOptions {
  /** The cap on every authorized call; DEFAULT_MAX_CALL_SECONDS unless set. */
  maxCallSeconds?: number;
}

export type Authorization =
  | { allowed: true; maxSeconds: number; reservedMinor: number }
  | {
      allowed: false;
      reason: Exclude<CallPermission, { allowed: true }>['reason'] | 'insufficient_funds' | 'no_rate';
      message: string;
    };

/**
 * Authorizes one call at `now` (which also selects the rate deck version).
 * Calling it again for the same callUuid returns the reservation already made.
 */
export async function authorizeCall(
  db: Database,
  request: CallToAuthorize,
  now: Date,
  options: AuthorizeOptions = {},
): Promise<Authorization> {
  const cap = options.maxCallSeconds ?? DEFAULT_MAX_CALL_SECONDS;
  if (!Number.isSafeInteger(cap) || cap < 0) throw new InvalidField('maxCallSeconds', 'whole seconds ≥ 0');
  const { plan, call } = request;
  const permission = callAllowed(plan, call);
  if (!permission.allowed) return permission;
  // built field by field: this runs for every authorization, and a spread costs more than the rating
  const chargeFor = (billsec: number) =>
    ratedCharge({ class: call.class, direction: call.direction, dialedDigits: call.dialedDigits, answeredAt: now, billsec, startedAt: now }, plan, request.deck);
  const atCap = chargeFor(cap);
  if (!atCap.rated) return { allowed: false, reason: 'no_rate', message: atCap.message };
  if (plan.billing === 'postpaid' || atCap.chargeMinor === 0) return { allowed: true, maxSeconds: cap, reservedMinor: 0 };
  // refused alone: the batch it would join casts every id to uuid, and one bad value would fail them all
  if (!UUID.test(request.callUuid)) throw new InvalidField('callUuid', 'a UUID');
  if (!UUID.test(request.accountId) || (request.subaccountId !== null && !UUID.test(request.subaccountId))) {
    throw new InvalidField('subaccountId', 'an account and subaccount id (UUIDs)');
  }
  const shortest = chargeFor(0);
  const reserve: ReserveRequest = {
    call_uuid: request.callUuid,
    account_id: request.accountId,
    subaccount_id: request.subaccountId,
    currency: plan.currency,
    reserved_minor: atCap.chargeMinor,
    max_seconds: cap,
    // a call that rates at the cap rates at every shorter length (same deck row)
    least_minor: shortest.rated ? shortest.chargeMinor : atCap.chargeMinor,
  };
  return reserveCap(db, request, reserve, chargeFor);
}

/** The cap's reservation through a batch; the transaction decides what the batch leaves to its caller. */
async function reserveCap(
  db: Database,
  request: CallToAuthorize,
  reserve: ReserveRequest,
  chargeFor: (billsec: number) => RatedCharge | Unrated,
): Promise<Authorization> {
  for (;;) {
    const result = await reserveInBatch(db, reserve);
    switch (result.outcome) {
      case 'reserved':
        return { allowed: true, maxSeconds: reserve.max_seconds, reservedMinor: reserve.reserved_minor };
      case 'existing':
        return existingAnswer(result.existing, request.accountId);
      case 'refused':
        return INSUFFICIENT;
      case 'currency':
        throw currencyMismatch(reserve.currency, result.currency);
      case 'deferred':
        await result.after;
        continue;
      default:
        // short, no balance row yet, or raced: the transaction decides, then the account's deferred requests go on
        try {
          return await reserveInTransaction(db, request, reserve.currency, chargeFor, reserve.max_seconds);
        } finally {
          if ('settled' in result) result.settled();
        }
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INSUFFICIENT = {
  allowed: false,
  reason: 'insufficient_funds',
  message: 'the balance does not cover the first billed block of this call',
} as const satisfies Authorization;

function currencyMismatch(planCurrency: string, balanceCurrency: string): InvalidField {
  return new InvalidField('currency', `the charging plan is in ${planCurrency}, the account's balance in ${balanceCurrency}`);
}

function existingAnswer(existing: Pick<CallReservationRow, 'account_id' | 'max_seconds' | 'reserved_minor'> & { released: boolean }, accountId: string): Authorization {
  if (existing.account_id !== accountId || existing.released) {
    throw new Conflict('callUuid', 'this call was already authorized for another account or settled');
  }
  return { allowed: true, maxSeconds: existing.max_seconds, reservedMinor: existing.reserved_minor };
}

/**
 * The reservation when the funds cover only part of the cap: in a transaction
 * holding the balance row, the longest covered call is searched while no other
 * authorization can change the funds. Also the path for an account without a
 * balance row yet (it is created, so that later authorizations lock it).
 */
async function reserveInTransaction(
  db: Database,
  request: CallToAuthorize,
  currency: string,
  chargeFor: (billsec: number) => RatedCharge | Unrated,
  cap: number,
): Promise<Authorization> {
  return db.transaction().execute(async (trx) => {
    const balance = await lockedBalance(trx, request.accountId, currency);
    if (balance.currency !== currency) throw currencyMismatch(currency, balance.currency);
    const existing = await reservationOf(trx, request.callUuid);
    if (existing) return existingAnswer({ ...existing, released: existing.released_at !== null }, request.accountId);
    const available = await availableMinor(trx, request.accountId, request.subaccountId, balance.balance_minor - balance.held_minor);
    const covered = longestCovered(chargeFor, cap, available);
    if (!covered) return INSUFFICIENT;
    await insertReservation(trx, {
      call_uuid: request.callUuid,
      account_id: request.accountId,
      subaccount_id: request.subaccountId,
      reserved_minor: covered.chargeMinor,
      max_seconds: covered.seconds,
    });
    return { allowed: true, maxSeconds: covered.seconds, reservedMinor: covered.chargeMinor };
  });
}

/** The account's available funds, and for a subaccount with a credit limit, no more than the limit − what its calls hold. */
async function availableMinor(trx: Database, accountId: string, subaccountId: string | null, available: number): Promise<number> {
  if (subaccountId === null) return available;
  const limit = await creditLimitOf(trx, subaccountId);
  if (limit === undefined) return available;
  return Math.min(available, limit - (await subaccountHeldMinor(trx, accountId, subaccountId)));
}

/**
 * The longest call (whole seconds, at most `cap`) whose charge fits in
 * `available`, and that charge; undefined when not even a 0-second answered
 * call fits. A binary search: a charge never falls as billsec grows, so the
 * answer is exact — charging those seconds never exceeds `available`.
 */
export function longestCovered(
  chargeFor: (billsec: number) => RatedCharge | Unrated,
  cap: number,
  available: number,
): { seconds: number; chargeMinor: number } | undefined {
  const minor = (billsec: number): number => {
    const charge = chargeFor(billsec);
    // a call that rates at the cap rates at every shorter length (same deck row)
    if (!charge.rated) throw new Error(`unrated at ${billsec} s: ${charge.message}`);
    return charge.chargeMinor;
  };
  if (available < 0 || minor(0) > available) return undefined;
  let low = 0; // fits
  let high = cap; // the answer is in [low, high]
  if (minor(cap) <= available) low = cap;
  while (low < high) {
    const mid = low + Math.ceil((high - low) / 2);
    if (minor(mid) <= available) low = mid;
    else high = mid - 1;
  }
  return { seconds: low, chargeMinor: minor(low) };
}

/** A finished call as settlement needs it: the rating facts plus whose call it was. */
export interface CdrToSettle extends Cdr {
  callUuid: string;
  /** the authorization to charge and release, when not the call's own (a hunt group's leg to a carrier) */
  reservationUuid?: string | undefined;
  accountId: string;
  subaccountId: string | null;
}

export interface Settlement {
  /** True when this call's charge was posted now; false for a repeated CDR, a free or unanswered call, or an unrated one. */
  charged: boolean;
  rating: RatedCharge | Unrated;
  /** Whether a reservation was still held and is now released. */
  released: boolean;
}

/**
 * Rates the CDR, posts its call_charge once and releases its reservation, in
 * one transaction. An unrated call (no rate deck prefix) is not charged; its
 * reservation is released and the caller sees `rating.rated === false`.
 */
export async function settleCall(
  db: Database,
  cdr: CdrToSettle,
  plan: ChargingPlan,
  deck: RateLookup,
  now: Date = new Date(),
): Promise<Settlement> {
  const rating = ratedCharge(cdr, plan, deck);
  return db.transaction().execute(async (trx) => {
    let charged = false;
    if (rating.rated && rating.chargeMinor > 0) {
      const posted = await postEntryIn(trx, {
        accountId: cdr.accountId,
        subaccountId: cdr.subaccountId,
        kind: 'call_charge',
        amountMinor: -rating.chargeMinor,
        currency: plan.currency,
        callUuid: cdr.callUuid,
        memo: `${cdr.direction} ${cdr.class} call, ${rating.billableSeconds} s`,
        createdBy: 'rating',
      });
      charged = posted.entry !== undefined;
    }
    const released = await releaseReservation(trx, cdr.reservationUuid ?? cdr.callUuid, now);
    return { charged, rating, released };
  });
}

/** The seconds the call's authorization covered, while one exists (settlement charges no more). */
export async function reservedSecondsOf(db: Database, reservationUuid: string): Promise<number | undefined> {
  return (await reservationOf(db, reservationUuid))?.max_seconds;
}

/** Gives back an authorization no call used, or one whose call is not rated; nothing is charged. */
export async function releaseUnused(db: Database, reservationUuid: string, now: Date): Promise<void> {
  await db.transaction().execute((trx) => releaseReservation(trx, reservationUuid, now));
}

/**
 * Releases reservations older than their call could run (max seconds + grace)
 * whose CDR never arrived — the switch was unreachable when the call ended.
 * The call is not charged: there is no record of how long it lasted.
 */
export function releaseStale(db: Database, now: Date, graceSeconds = 300): Promise<number> {
  return releaseStaleReservations(db, now, graceSeconds);
}
