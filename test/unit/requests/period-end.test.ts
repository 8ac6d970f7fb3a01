// When a cancelled account closes: the first instant of the next calendar
// month on the account's wall clock, whatever the offset or daylight saving.
import { describe, expect, it } from 'vitest';
import { periodEnd } from '../../../server/requests/index.js';

describe('periodEnd', () => {
  it.each([
    ['mid-month in UTC', '2026-11-23T13:00:00Z', 'UTC', '2026-12-01T00:00:00.000Z'],
    ['December rolls into the next year', '2026-12-31T23:59:59Z', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['already the next month on a Paris wall clock', '2026-11-30T23:30:00Z', 'Europe/Paris', '2026-12-31T23:00:00.000Z'],
    ['still the previous month in Los Angeles', '2026-12-01T05:00:00Z', 'America/Los_Angeles', '2026-12-01T08:00:00.000Z'],
    ['summer time begins during the month (New York)', '2026-03-05T12:00:00Z', 'America/New_York', '2026-04-01T04:00:00.000Z'],
    ['summer time ends on the 1st itself (New York, 1 Nov 2026)', '2026-10-20T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['a half-hour zone', '2026-06-10T00:00:00Z', 'Asia/Kolkata', '2026-06-30T18:30:00.000Z'],
  ])('%s', (_what, now, timezone, expected) => {
    expect(periodEnd(new Date(now), timezone).toISOString()).toBe(expected);
  });
});
