// Proration by days in the account's timezone: tables of hand-computed cases and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billingPeriodAt,
  billingPeriodNamed,
  changeProration,
  daysFromAdd,
  daysFromRemove,
  lastEndedPeriod,
  proratedMinor,
} from '../../../server/billing/proration.js';

describe('proratedMinor: price × days / days in period, half-up once', () => {
  const cases: [string, number, number, number, number][] = [
    // name, price, days used, days in period, expected
    ['a whole 30-day month', 2000, 30, 30, 2000],
    ['no day', 2000, 0, 31, 0],
    ['mid-month add on Nov 16 (15 of 30 days)', 2000, 15, 30, 1000],
    ['31-day month, 16 days: 1032.258… → 1032', 2000, 16, 31, 1032],
    ['28-day February, 14 days: exactly half', 999, 14, 28, 500], // 499.5 → 500 (half-up)
    ['29-day February 2028 (leap), 1 day: 34.48… → 34', 1000, 1, 29, 34],
    ['30-day month, 1 day of 1000: 33.33… → 33', 1000, 1, 30, 33],
    ['31-day month, 1 day of 1550: 50', 1550, 1, 31, 50],
    ['half a cent rounds up: 1 × 15 / 30 = 0.5 → 1', 1, 15, 30, 1],
    ['just under a half rounds down: 1 × 14 / 29 = 0.48 → 0', 1, 14, 29, 0],
  ];
  it.each(cases)('%s', (_name, price, days, n, expected) => {
    expect(proratedMinor(price, days, n)).toBe(expected);
  });

  it('refuses days outside the period and fractional prices', () => {
    expect(() => proratedMinor(100, 32, 31)).toThrow(RangeError);
    expect(() => proratedMinor(100, 1, 27)).toThrow(RangeError);
    expect(() => proratedMinor(1.5, 1, 30)).toThrow(RangeError);
  });
});

describe('which days a change counts', () => {
  const cases: [string, number, number, number, number][] = [
    // name, day, days in period, days charged on add, days credited on remove
    ['the first day', 1, 30, 30, 29],
    ['mid-month in a 31-day month', 16, 31, 16, 15],
    ['the last day of February 2028 (29 days)', 29, 29, 1, 0],
    ['the last day of a 28-day February', 28, 28, 1, 0],
  ];
  it.each(cases)('%s', (_name, day, n, added, removed) => {
    expect(daysFromAdd(day, n)).toBe(added);
    expect(daysFromRemove(day, n)).toBe(removed);
  });

  it('an add and a removal on the same day cost one day (to the minor unit: each is rounded once)', () => {
    for (const n of [28, 29, 30, 31]) {
      for (let day = 1; day <= n; day += 1) {
        const add = changeProration(0, 3100, day, n);
        const remove = changeProration(3100, 0, day, n);
        expect(Math.abs(-(add.amountMinor + remove.amountMinor) - proratedMinor(3100, 1, n))).toBeLessThanOrEqual(1);
      }
    }
    // a price that divides evenly into days: exactly one day
    expect(changeProration(0, 3000, 10, 30).amountMinor + changeProration(3000, 0, 10, 30).amountMinor).toBe(-100);
  });

  it('a removal on the first day is credited all days but that one; an add on the last day pays one day', () => {
    expect(changeProration(3000, 0, 1, 30)).toEqual({ amountMinor: 2900, days: 29, daysInPeriod: 30 });
    expect(changeProration(0, 3100, 31, 31)).toEqual({ amountMinor: -100, days: 1, daysInPeriod: 31 });
  });

  it('raising 3 → 5 seats at 20.00 on Nov 16 charges 40.00 × 15/30; lowering back credits 40.00 × 14/30', () => {
    expect(changeProration(6000, 10000, 16, 30).amountMinor).toBe(-2000);
    expect(changeProration(10000, 6000, 16, 30).amountMinor).toBe(1867); // 1866.67 → 1867
    expect(changeProration(6000, 6000, 16, 30).amountMinor).toBe(0);
  });
});

describe('billing periods on the account’s wall clock', () => {
  it('a call at 2026-12-01T03:00Z is still November in New York', () => {
    const p = billingPeriodAt('America/New_York', new Date('2026-12-01T03:00:00Z'));
    expect(p.label).toBe('2026-11');
    expect(p.day).toBe(30);
    expect(p.start.toISOString()).toBe('2026-11-01T04:00:00.000Z'); // EDT until Nov 1 02:00
    expect(p.end.toISOString()).toBe('2026-12-01T05:00:00.000Z'); // EST
    expect(p.daysInPeriod).toBe(30);
  });

  const months: [string, string, number, string, string][] = [
    ['February 2028 (leap)', '2028-02', 29, '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['February 2027', '2027-02', 28, '2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'],
    ['April', '2027-04', 30, '2027-04-01T00:00:00.000Z', '2027-05-01T00:00:00.000Z'],
    ['December into the next year', '2026-12', 31, '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ];
  it.each(months)('%s in UTC', (_name, label, days, start, end) => {
    const p = billingPeriodNamed('UTC', label)!;
    expect([p.daysInPeriod, p.start.toISOString(), p.end.toISOString()]).toEqual([days, start, end]);
  });

  it('Tokyo’s March begins on February 28th in UTC; Berlin’s across a DST change', () => {
    expect(billingPeriodNamed('Asia/Tokyo', '2027-03')!.start.toISOString()).toBe('2027-02-28T15:00:00.000Z');
    const berlin = billingPeriodNamed('Europe/Berlin', '2027-03')!;
    expect([berlin.start.toISOString(), berlin.end.toISOString()]).toEqual(['2027-02-28T23:00:00.000Z', '2027-03-31T22:00:00.000Z']);
  });

  it('the last ended period wraps the year', () => {
    expect(lastEndedPeriod('UTC', new Date('2027-01-05T00:00:00Z')).label).toBe('2026-12');
    expect(billingPeriodNamed('UTC', '2026-13')).toBeUndefined();
  });
});

describe('proration properties', () => {
  const arbitrary = fc.record({
    price: fc.integer({ min: 0, max: 100_000_000 }),
    n: fc.constantFrom(28, 29, 30, 31),
    a: fc.integer({ min: 0, max: 31 }),
    b: fc.integer({ min: 0, max: 31 }),
  });
  it('never exceeds the full price and never decreases with more days', () => {
    fc.assert(
      fc.property(arbitrary, ({ price, n, a, b }) => {
        const [lo, hi] = [Math.min(a, b, n), Math.min(Math.max(a, b), n)];
        const [x, y] = [proratedMinor(price, lo, n), proratedMinor(price, hi, n)];
        return x <= y && y <= price && x >= 0 && proratedMinor(price, n, n) === price;
      }),
    );
  });
  it('is within half a minor unit of the exact amount', () => {
    fc.assert(
      fc.property(arbitrary, ({ price, n, a }) => {
        const days = Math.min(a, n);
        return Math.abs(proratedMinor(price, days, n) * n - price * days) * 2 <= n;
      }),
    );
  });
});
