// Money arithmetic: exact amounts checked against BigInt at the bounds, the
// single upward rounding to minor units, and ISO 4217 exponents.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BILLSEC, MAX_MONEY_MICROS, microsToMinorCeil, minorUnitExponent } from '../../../server/billing/index.js';
import { ceilMicros, feeAmount, plus, timeAmount } from '../../../server/billing/money.js';

/** ceil(n / d) for BigInts ≥ 0. */
const ceilDiv = (n: bigint, d: bigint) => (n + d - 1n) / d;

describe('exact amounts', () => {
  const rate = fc.integer({ min: 0, max: MAX_MONEY_MICROS });
  const factor = fc.integer({ min: 0, max: 1_010_000 });
  const seconds = fc.integer({ min: 0, max: MAX_BILLSEC + 3_600 });

  it('time × rate × markup equals the BigInt result up to the largest bounds', () => {
    fc.assert(
      fc.property(rate, factor, seconds, rate, (perMinute, f, s, fee) => {
        const exact = plus(timeAmount(perMinute, f, s), feeAmount(fee, f));
        const numerator = BigInt(perMinute) * BigInt(f) * BigInt(s) + BigInt(fee) * BigInt(f) * 60n;
        expect(BigInt(ceilMicros(exact))).toBe(ceilDiv(numerator, 600_000n));
        expect(Number.isSafeInteger(exact.whole)).toBe(true);
      }),
    );
  });

  it('stays exact at the extremes', () => {
    const amount = timeAmount(MAX_MONEY_MICROS, 1_010_000, MAX_BILLSEC + 3_600);
    const numerator = BigInt(MAX_MONEY_MICROS) * 1_010_000n * BigInt(MAX_BILLSEC + 3_600);
    expect(BigInt(ceilMicros(amount))).toBe(ceilDiv(numerator, 600_000n));
  });
});

describe('microsToMinorCeil', () => {
  it.each([
    [0, 2, 0],
    [1, 2, 1], // a millionth of a euro is still a cent
    [10_000, 2, 1],
    [10_001, 2, 2],
    [19_999, 2, 2],
    [1_500_000, 0, 2], // 1.5 yen → 2 yen
    [13_530, 3, 14], // 13.53 fils → 14 fils
    [4_503_599_627_370_495, 2, 450_359_962_738], // near 2^52: still exact
  ])('%i micros at exponent %i → %i minor', (micros, exponent, minor) => {
    expect(microsToMinorCeil(micros, exponent)).toBe(minor);
  });
});

describe('minorUnitExponent', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });
});
