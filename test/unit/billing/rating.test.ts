// Rating tables: segment boundaries, zero-second and unanswered calls, fixed vs
// relative prices, connection fees, effective dates, on-net and incoming calls,
// currencies. Every expected figure is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import {
  type CallClass,
  type CallDirection,
  type Cdr,
  type ChargingSegments,
  RateDeckIndex,
  billableSeconds,
  ratedCharge,
} from '../../../server/billing/index.js';
import { InvalidField } from '../../../server/errors.js';
import { SAMPLE_DECK_ROWS, SAMPLE_PLAN_INPUT, samplePlan } from './sample-plan.js';

const deck = new RateDeckIndex(SAMPLE_DECK_ROWS);
const JUNE_2024 = new Date('2024-06-01T10:00:00Z');
const JUNE_2025 = new Date('2025-06-01T10:00:00Z');

function call(cls: CallClass, billsec: number, changes: Partial<Cdr> = {}): Cdr {
  const direction: CallDirection = changes.direction ?? 'outgoing';
  return { class: cls, direction, dialedDigits: '4930123456', answeredAt: JUNE_2024, billsec, startedAt: JUNE_2024, ...changes };
}

describe('billableSeconds', () => {
  const segments = (minimumSeconds: number, firstIncrementSeconds: number, nextIncrementSeconds: number): ChargingSegments => ({
    minimumSeconds,
    firstIncrementSeconds,
    nextIncrementSeconds,
  });

  it.each([
    // "first 60 s, then every 6 s" (60/60/6)
    [segments(60, 60, 6), 0, 60], // answered at 0 s: the first increment
    [segments(60, 60, 6), 1, 60],
    [segments(60, 60, 6), 59, 60],
    [segments(60, 60, 6), 60, 60],
    [segments(60, 60, 6), 61, 66], // 60 + one 6 s block
    [segments(60, 60, 6), 66, 66],
    [segments(60, 60, 6), 67, 72],
    [segments(60, 60, 6), 125, 126], // 60 + ceil(65 / 6) = 11 blocks → 126
    // "per second after a 30 s minimum" (30/1/1)
    [segments(30, 1, 1), 0, 30],
    [segments(30, 1, 1), 29, 30],
    [segments(30, 1, 1), 30, 30],
    [segments(30, 1, 1), 31, 31],
    // pure per-second billing still bills an answered 0 s call 1 s
    [segments(0, 1, 1), 0, 1],
    [segments(0, 1, 1), 59, 59],
    // "30/6" with no minimum
    [segments(0, 30, 6), 0, 30],
    [segments(0, 30, 6), 31, 36],
    // a minimum longer than the first increment: max(minimum, 60 + 6 s blocks)
    [segments(90, 60, 6), 61, 90],
    [segments(90, 60, 6), 91, 96], // 60 + ceil(31 / 6) = 6 blocks → 96
  ])('%o bills %i s as %i s', (segs, billsec, expected) => {
    expect(billableSeconds(billsec, segs)).toBe(expected);
  });
});

describe('ratedCharge with a fixed price', () => {
  // national: 20,000 micros/min; connection fee 50,000 micros; 60/60/6; EUR (cents: 10,000 micros)
  it.each([
    ['unanswered', 0, false, 0, 0, 0],
    ['answered, 0 s', 0, true, 60, 70_000, 7], // 20,000 × 60/60 + 50,000 = 70,000 → 7 ¢
    ['59 s', 59, true, 60, 70_000, 7],
    ['60 s', 60, true, 60, 70_000, 7],
    ['61 s', 61, true, 66, 72_000, 8], // 20,000 × 66/60 = 22,000 + 50,000 = 72,000 → 7.2 ¢ → ceil 8 ¢
    ['67 s', 67, true, 72, 74_000, 8], // 24,000 + 50,000
    ['125 s', 125, true, 126, 92_000, 10], // 42,000 + 50,000 → 9.2 ¢ → 10 ¢
    ['one hour', 3_600, true, 3_600, 1_250_000, 125], // 1,200,000 + 50,000
  ])('%s: %i s bills %i s, %i micros, %i minor', (_name, billsec, answered, seconds, micros, minor) => {
    const charge = ratedCharge(call('national', billsec, { answeredAt: answered ? JUNE_2024 : null }), samplePlan(), deck);
    expect(charge).toMatchObject({ rated: true, billableSeconds: seconds, priceMicros: micros, chargeMinor: minor, free: false });
  });

  it.each([
    // per second after a 30 s minimum (30/1/1), same price and fee
    [0, 30, 60_000, 6], // 20,000 × 30/60 = 10,000 + 50,000
    [29, 30, 60_000, 6],
    [30, 30, 60_000, 6],
    [31, 31, 60_334, 7], // 10,333.33… + 50,000 → 60,334 micros (ceil) → 6.03 ¢ → 7 ¢
    [59, 59, 69_667, 7], // 19,666.67 + 50,000
    [60, 60, 70_000, 7],
    [61, 61, 70_334, 8], // 20,333.33 + 50,000 → 7.03 ¢ → 8 ¢
  ])('per second after a 30 s minimum: %i s bills %i s, %i micros, %i minor', (billsec, seconds, micros, minor) => {
    const plan = samplePlan({ segments: { minimumSeconds: 30, firstIncrementSeconds: 1, nextIncrementSeconds: 1 } });
    expect(ratedCharge(call('national', billsec), plan, deck)).toMatchObject({ billableSeconds: seconds, priceMicros: micros, chargeMinor: minor });
  });

  it('reports the carrier cost from the deck with its own increments', () => {
    // 49: 12,300 micros/min billed 60/60 → 61 s costs 2 minutes = 24,600 micros
    const charge = ratedCharge(call('national', 61), samplePlan(), deck);
    expect(charge).toMatchObject({ priceMicros: 72_000, costMicros: 24_600, deckPrefix: '49' });
  });

  it('still rates a fixed-price call no deck prefix matches, with an unknown cost', () => {
    const charge = ratedCharge(call('national', 61, { dialedDigits: '999123' }), samplePlan(), deck);
    expect(charge).toMatchObject({ rated: true, chargeMinor: 8, costMicros: null, deckPrefix: undefined });
  });

  it.each([
    [0, 22_000, 3], // 20,000 × 66/60 → 2.2 ¢ → 3 ¢
    [50_000, 72_000, 8],
    [1_000_000, 1_022_000, 103], // a 1 EUR connection fee
  ])('adds a connection fee of %i micros once', (fee, micros, minor) => {
    const charge = ratedCharge(call('national', 61), samplePlan({ connectionFeeMicros: fee }), deck);
    expect(charge).toMatchObject({ priceMicros: micros, chargeMinor: minor });
  });
});

describe('ratedCharge with a price relative to the carrier cost', () => {
  // international: +20 % (2,000 bp); plan 60/60/6 and a 50,000 micros connection fee
  it.each([
    // 1 (NANP): 5,000/min, 6/6 → both 66 s; 5,000 × 1.2 × 66/60 = 6,600 + 50,000 → 5.66 ¢ → 6 ¢; cost 5,500
    ['14155550100', JUNE_2024, '1', 66, 56_600, 6, 5_500],
    // 447 (2024): 80,000/min 1/1, fee 10,000; 96,000 × 66/60 = 105,600 + 12,000 + 50,000 = 167,600 → 17 ¢;
    // cost 80,000 × 61/60 + 10,000 = 91,333.33 → 91,334
    ['447700900123', JUNE_2024, '447', 66, 167_600, 17, 91_334],
    // 4477 exists from 2025: 100,000/min 1/1; 120,000 × 1.1 = 132,000 + 50,000 → 19 ¢; cost 101,666.67 → 101,667
    ['447700900123', JUNE_2025, '4477', 66, 182_000, 19, 101_667],
    // 44 (2024 version): 20,000/min 60/6; 24,000 × 1.1 = 26,400 + 50,000 → 8 ¢; cost 22,000
    ['442079460000', JUNE_2024, '44', 66, 76_400, 8, 22_000],
    // 44 (2025 version): 30,000/min; 36,000 × 1.1 = 39,600 + 50,000 → 9 ¢; cost 33,000
    ['442079460000', JUNE_2025, '44', 66, 89_600, 9, 33_000],
    // 49: 12,300/min billed 60/60: the deck's 120 s beats the plan's 66 s; 14,760 × 2 = 29,520 + 50,000 → 8 ¢
    ['4930123456', JUNE_2024, '49', 120, 79_520, 8, 24_600],
  ])('%s at %s matches %s: %i s, %i micros, %i minor, cost %i', (digits, at, prefix, seconds, micros, minor, cost) => {
    const charge = ratedCharge(call('international', 61, { dialedDigits: digits, startedAt: at, answeredAt: at }), samplePlan(), deck);
    expect(charge).toEqual({
      rated: true,
      billableSeconds: seconds,
      priceMicros: micros,
      chargeMinor: minor,
      costMicros: cost,
      deckPrefix: prefix,
      free: false,
    });
  });

  it.each([
    ['2024-12-31T23:59:59Z', 22_000], // the 2024 rate until the last second of 2024
    ['2025-01-01T00:00:00Z', 33_000], // the 2025 rate from UTC midnight on its effective date
  ])('a call started at %s costs %i micros', (startedAt, cost) => {
    const at = new Date(startedAt);
    const charge = ratedCharge(call('international', 61, { dialedDigits: '442079460000', startedAt: at, answeredAt: at }), samplePlan(), deck);
    expect(charge).toMatchObject({ costMicros: cost });
  });

  it('at 0 % markup with the deck’s own increments and no plan fee, price equals cost', () => {
    const plan = samplePlan({
      connectionFeeMicros: 0,
      segments: { minimumSeconds: 0, firstIncrementSeconds: 60, nextIncrementSeconds: 6 },
      prices: { ...SAMPLE_PLAN_INPUT.prices, international: { kind: 'relative', markupBasisPoints: 0 } },
    });
    const charge = ratedCharge(call('international', 61, { dialedDigits: '442079460000' }), plan, deck);
    expect(charge).toMatchObject({ priceMicros: 22_000, costMicros: 22_000, chargeMinor: 3 });
  });

  it('at −100 % only the plan’s connection fee is left', () => {
    const plan = samplePlan({ prices: { ...SAMPLE_PLAN_INPUT.prices, international: { kind: 'relative', markupBasisPoints: -10_000 } } });
    const charge = ratedCharge(call('international', 61, { dialedDigits: '447700900123' }), plan, deck);
    expect(charge).toMatchObject({ priceMicros: 50_000, chargeMinor: 5 });
  });

  it('is unrated, not free, when no deck prefix matches', () => {
    const charge = ratedCharge(call('international', 61, { dialedDigits: '999123' }), samplePlan(), deck);
    expect(charge).toEqual({ rated: false, reason: 'no_rate', message: 'no rate deck prefix matches 999123' });
  });

  it('an unanswered call costs nothing even when no prefix matches', () => {
    const charge = ratedCharge(call('international', 0, { dialedDigits: '999123', answeredAt: null }), samplePlan(), deck);
    expect(charge).toMatchObject({ rated: true, chargeMinor: 0, billableSeconds: 0 });
  });
});

describe('ratedCharge for on-net and incoming calls', () => {
  it.each([
    ['extension', 'outgoing'],
    ['network', 'outgoing'],
    ['extension', 'incoming'],
    ['network', 'incoming'],
  ] as const)('a %s call (%s) is free by default', (cls, direction) => {
    const charge = ratedCharge(call(cls, 600, { direction, dialedDigits: '101' }), samplePlan(), deck);
    expect(charge).toEqual({ rated: true, billableSeconds: 0, chargeMinor: 0, priceMicros: 0, costMicros: 0, free: true });
  });

  it.each([
    // onNetFree off: the extension price (default 0) plus the connection fee → 5 ¢
    [{}, 'extension', 'outgoing', 50_000, 5],
    // extension price 6,000/min: 6,000 × 66/60 = 6,600 + 50,000 → 6 ¢
    [{ extension: { kind: 'fixed', perMinuteMicros: 6_000 } }, 'extension', 'outgoing', 56_600, 6],
    // incoming: the incoming price (6,000/min), no connection fee → 0.66 ¢ → 1 ¢
    [{}, 'network', 'incoming', 6_600, 1],
  ] as const)('with onNetFree off, %o prices a %s %s call at %i micros', (prices, cls, direction, micros, minor) => {
    const plan = samplePlan({ onNetFree: false, prices: { ...SAMPLE_PLAN_INPUT.prices, ...prices } });
    const charge = ratedCharge(call(cls, 61, { direction, dialedDigits: '101' }), plan, deck);
    expect(charge).toMatchObject({ priceMicros: micros, chargeMinor: minor, free: false, costMicros: null });
  });

  it('an incoming call from the public network pays the incoming price without a connection fee', () => {
    // 6,000 × 66/60 = 6,600 micros → 1 ¢; the termination deck says nothing about incoming cost
    const charge = ratedCharge(call('national', 61, { direction: 'incoming' }), samplePlan(), deck);
    expect(charge).toMatchObject({ priceMicros: 6_600, chargeMinor: 1, costMicros: null, deckPrefix: undefined });
  });
});

describe('ratedCharge rounding and currencies', () => {
  it('rounds up once, so a fraction of a cent is a whole cent', () => {
    // 1 micro/min per second, no fee: 1/60 micro → 1 micro → 1 ¢ (never undercharge)
    const plan = samplePlan({
      connectionFeeMicros: 0,
      segments: { minimumSeconds: 0, firstIncrementSeconds: 1, nextIncrementSeconds: 1 },
      prices: { ...SAMPLE_PLAN_INPUT.prices, national: { kind: 'fixed', perMinuteMicros: 1 } },
    });
    expect(ratedCharge(call('national', 1), plan, deck)).toMatchObject({ priceMicros: 1, chargeMinor: 1 });
  });

  it.each([
    // JPY has no minor unit: 10 yen/min per second, 61 s = 10,166,666.67 micros → 10.17 yen → 11 yen
    ['JPY', { minimumSeconds: 0, firstIncrementSeconds: 1, nextIncrementSeconds: 1 }, 10_000_000, 10_166_667, 11],
    // KWD has 1,000 fils: 12,300 micros/min, 66 s = 13,530 micros → 13.53 fils → 14 fils
    ['KWD', { minimumSeconds: 60, firstIncrementSeconds: 60, nextIncrementSeconds: 6 }, 12_300, 13_530, 14],
  ])('in %s the minor unit follows ISO 4217', (currency, segments, perMinuteMicros, micros, minor) => {
    const plan = samplePlan({
      currency,
      segments,
      connectionFeeMicros: 0,
      prices: { ...SAMPLE_PLAN_INPUT.prices, national: { kind: 'fixed', perMinuteMicros } },
    });
    expect(ratedCharge(call('national', 61), plan, deck)).toMatchObject({ priceMicros: micros, chargeMinor: minor });
  });

  it('takes an explicit minor-unit exponent', () => {
    // 72,000 micros = 0.072 EUR → in whole euros, 1
    expect(ratedCharge(call('national', 61), samplePlan(), deck, 0)).toMatchObject({ chargeMinor: 1 });
  });

  it.each([
    ['negative billsec', call('national', -1)],
    ['fractional billsec', call('national', 1.5)],
    ['billsec over 31 days', call('national', 31 * 86_400 + 1)],
    ['billed seconds on an unanswered call', call('national', 5, { answeredAt: null })],
  ])('refuses an impossible CDR: %s', (_name, cdr) => {
    expect(() => ratedCharge(cdr, samplePlan(), deck)).toThrow(InvalidField);
  });

  it('refuses an exponent outside 0…6', () => {
    expect(() => ratedCharge(call('national', 61), samplePlan(), deck, 7)).toThrow(InvalidField);
  });
});
