// Months in a timezone as UTC instants: where reports and invoices cut.
import { describe, expect, it } from 'vitest';
import { monthBounds, monthOf, localInstant } from '../../../server/billing/index.js';

describe('monthBounds', () => {
  it.each([
    ['2026-11', 'Europe/Berlin', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    ['2026-03', 'Europe/Berlin', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'], // DST starts on the 29th
    ['2026-12', 'America/New_York', '2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z'],
    ['2028-02', 'UTC', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'], // leap year
    ['2026-10', 'Asia/Kolkata', '2026-09-30T18:30:00.000Z', '2026-10-31T18:30:00.000Z'],
    ['2026-04', 'Australia/Sydney', '2026-03-31T13:00:00.000Z', '2026-04-30T14:00:00.000Z'], // DST ends on 5 April
  ])('%s in %s runs from %s to %s', (month, tz, from, to) => {
    const b = monthBounds(month, tz);
    expect([b.from.toISOString(), b.to.toISOString()]).toEqual([from, to]);
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => monthBounds('2026-13', 'UTC')).toThrow(RangeError);
  });

  it('agrees with monthOf at both edges', () => {
    const b = monthBounds('2026-11', 'Pacific/Auckland');
    expect(monthOf(b.from, 'Pacific/Auckland')).toBe('2026-11');
    expect(monthOf(new Date(b.from.getTime() - 1), 'Pacific/Auckland')).toBe('2026-10');
    expect(monthOf(new Date(b.to.getTime() - 1), 'Pacific/Auckland')).toBe('2026-11');
  });

  it('takes the later wall-clock hour across a spring-forward gap', () => {
    // 02:30 does not exist in Berlin on 29 March 2026; 03:30 CEST = 01:30 UTC
    expect(localInstant('Europe/Berlin', 2026, 3, 29, 2).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});
