// Rating: what one finished call costs the customer (CDR + charging plan + rate
// deck → charge), and what it cost us at the carrier. Pure: no clock, no I/O.
// Amounts stay exact (ExactMicros) until the one rounding up to minor units.
// docs/rating.md explains the rules with worked examples.
import { InvalidField } from '../errors.js';
import { type CallClass, type CallDirection, isOnNet } from './call-class.js';
import type { RateLookup } from './deck-index.js';
import {
  type ExactMicros,
  MAX_BILLSEC,
  UNIT_FACTOR_BP,
  ZERO,
  ceilMicros,
  feeAmount,
  microsToMinorCeil,
  minorUnitExponent,
  plus,
  timeAmount,
} from './money.js';
import { type ChargingPlan, type ChargingSegments, type FixedPrice, type RelativePrice, priceFor } from './plan.js';
import type { DeckRow } from './rate-deck.js';

/** The facts of one call that rating needs, from the switch's CDR. */
export interface Cdr {
  class: CallClass;
  direction: CallDirection;
  /** E.164 digits without '+' for calls to the public network. */
  dialedDigits: string;
  /** Null or absent: the call was never answered. */
  answeredAt?: Date | null;
  /** Whole seconds from answer to hang-up; 0 when unanswered. */
  billsec: number;
  /** Selects the rate deck version in force. */
  startedAt: Date;
}

export interface RatedCharge {
  rated: true;
  /** The seconds charged for after charging segments (0 for unanswered and free calls). */
  billableSeconds: number;
  /** What the customer pays, in minor units of the plan currency: the only rounded figure. */
  chargeMinor: number;
  /** The same charge in micros, rounded up to a whole micro. */
  priceMicros: number;
  /** What the carrier charges us by the rate deck, in micros; null when no deck row applies (incoming, unmatched). */
  costMicros: number | null;
  deckPrefix?: string;
  /** True when the plan makes the call free (on-net under onNetFree). */
  free: boolean;
}

/** A relatively priced call whose number no rate deck prefix matches: it cannot be priced, and is not 0. */
export interface Unrated {
  rated: false;
  reason: 'no_rate';
  message: string;
}

const NOT_CHARGED: RatedCharge = { rated: true, billableSeconds: 0, chargeMinor: 0, priceMicros: 0, costMicros: 0, free: false };
const FREE: RatedCharge = { ...NOT_CHARGED, free: true };

/**
 * Rates one call. `exponent` is the currency's minor-unit exponent (2 for EUR).
 * Throws InvalidField for an impossible CDR (billsec out of range, or billed
 * seconds on an unanswered call).
 */
export function ratedCharge(
  call: Cdr,
  plan: ChargingPlan,
  deck: RateLookup,
  exponent: number = minorUnitExponent(plan.currency),
): RatedCharge | Unrated {
  checkCall(call, exponent);
  if (!call.answeredAt) return NOT_CHARGED;
  const price = priceFor(plan, call);
  if (price === 'free') return FREE;
  const row = reachesCarrier(call) ? deck.lookup(call.dialedDigits, call.startedAt) : undefined;
  if (price.kind === 'fixed') return fixedCharge(call, plan, price, row, exponent);
  if (row) return relativeCharge(call, plan, price, row, exponent);
  return { rated: false, reason: 'no_rate', message: `no rate deck prefix matches ${call.dialedDigits}` };
}

/**
 * Seconds billed under charging segments for an answered call: the first
 * increment, then whole next increments, and never less than the minimum.
 * 60/60/6: 59 → 60, 60 → 60, 61 → 66. 30/1/1: 0 → 30, 31 → 31.
 * An answered call of 0 s is billed its first increment (or the minimum).
 */
export function billableSeconds(billsec: number, segments: ChargingSegments): number {
  return roundedUp(billsec, segments.minimumSeconds, segments.firstIncrementSeconds, segments.nextIncrementSeconds);
}

function roundedUp(billsec: number, minimum: number, first: number, next: number): number {
  const blocks = billsec <= first ? first : first + Math.ceil((billsec - first) / next) * next;
  return blocks > minimum ? blocks : minimum;
}

function fixedCharge(
  call: Cdr,
  plan: ChargingPlan,
  price: FixedPrice,
  row: DeckRow | undefined,
  exponent: number,
): RatedCharge {
  const seconds = billableSeconds(call.billsec, plan.segments);
  const fee = call.direction === 'outgoing' ? feeAmount(plan.connectionFeeMicros, UNIT_FACTOR_BP) : ZERO;
  const amount = plus(timeAmount(price.perMinuteMicros, UNIT_FACTOR_BP, seconds), fee);
  return charged(seconds, amount, row ? carrierCost(row, call.billsec) : null, row, exponent);
}

/**
 * The carrier's rate and connection fee, marked up, plus the plan's connection
 * fee. Billed for the longer of the plan's and the deck's rounded seconds, so
 * a markup ≥ 0 never sells a call below its carrier cost.
 */
function relativeCharge(
  call: Cdr,
  plan: ChargingPlan,
  price: RelativePrice,
  row: DeckRow,
  exponent: number,
): RatedCharge {
  const factor = UNIT_FACTOR_BP + price.markupBasisPoints;
  const deckSeconds = carrierSeconds(row, call.billsec);
  const seconds = Math.max(billableSeconds(call.billsec, plan.segments), deckSeconds);
  const carrierPart = plus(timeAmount(row.costPerMinuteMicros, factor, seconds), feeAmount(row.connectionFeeMicros, factor));
  const amount = plus(carrierPart, feeAmount(plan.connectionFeeMicros, UNIT_FACTOR_BP));
  return charged(seconds, amount, carrierCost(row, call.billsec), row, exponent);
}

function carrierSeconds(row: DeckRow, billsec: number): number {
  return roundedUp(billsec, 0, row.firstIncrementSeconds, row.nextIncrementSeconds);
}

/** What the carrier bills for the call by its deck row, rounded up to a whole micro. */
function carrierCost(row: DeckRow, billsec: number): number {
  const time = timeAmount(row.costPerMinuteMicros, UNIT_FACTOR_BP, carrierSeconds(row, billsec));
  return ceilMicros(plus(time, feeAmount(row.connectionFeeMicros, UNIT_FACTOR_BP)));
}

function charged(
  seconds: number,
  amount: ExactMicros,
  costMicros: number | null,
  row: DeckRow | undefined,
  exponent: number,
): RatedCharge {
  const priceMicros = ceilMicros(amount);
  return {
    rated: true,
    billableSeconds: seconds,
    chargeMinor: microsToMinorCeil(priceMicros, exponent),
    priceMicros,
    costMicros,
    deckPrefix: row?.prefix,
    free: false,
  };
}

/** On-net calls and incoming calls never touch a carrier's termination deck. */
function reachesCarrier(call: Cdr): boolean {
  return call.direction === 'outgoing' && !isOnNet(call.class);
}

function checkCall(call: Cdr, exponent: number): void {
  if (!Number.isSafeInteger(call.billsec) || call.billsec < 0 || call.billsec > MAX_BILLSEC) {
    throw new InvalidField('billsec', `whole seconds from 0 to ${MAX_BILLSEC}`);
  }
  if (!call.answeredAt && call.billsec !== 0) {
    throw new InvalidField('billsec', 'an unanswered call has billsec 0');
  }
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 6) {
    throw new InvalidField('exponent', 'a minor-unit exponent from 0 to 6');
  }
}
