// Office hours on the account's wall clock: range boundaries, holidays on the
// local calendar, ranges past midnight, and the daylight-saving changes in
// Europe/London and America/New_York (2026: 29 March / 25 October in London,
// 8 March / 1 November in New York).
import { describe, expect, it } from 'vitest';
import { type Schedule, localTime, scheduleOpen, scheduledDestination } from '../../../server/routing/index.js';
import { OFFICE } from './sample-directory.js';

const WEEKDAYS = [1, 2, 3, 4, 5];
type Hours = Pick<Schedule, 'weekly' | 'holidays'>;
const nineToFive: Hours = { weekly: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }], holidays: [] };
const nineToHalfFive: Hours = OFFICE; // Mon–Fri 09:00–17:30, closed 2026-12-25
const nightShift: Hours = { weekly: [{ days: WEEKDAYS, from: '22:00', to: '06:00' }], holidays: [] };
const saturdayEvening: Hours = { weekly: [{ days: [6], from: '18:00', to: '24:00' }], holidays: [] };
const sundaySmallHours: Hours = { weekly: [{ days: [7], from: '01:00', to: '02:00' }], holidays: [] };
const allWeek: Hours = { weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }], holidays: ['2026-12-25'] };

describe('scheduleOpen', () => {
  it.each<[string, Hours, string, string, boolean]>([
    ['a minute before opening', nineToHalfFive, 'Europe/London', '2026-11-25T08:59:00Z', false],
    ['at opening', nineToHalfFive, 'Europe/London', '2026-11-25T09:00:00Z', true],
    ['the last minute', nineToHalfFive, 'Europe/London', '2026-11-25T17:29:59Z', true],
    ['at closing', nineToHalfFive, 'Europe/London', '2026-11-25T17:30:00Z', false],
    ['on a Saturday', nineToHalfFive, 'Europe/London', '2026-11-28T10:00:00Z', false],
    ['on a holiday that is a weekday', nineToHalfFive, 'Europe/London', '2026-12-25T10:00:00Z', false],
    ['in summer, 09:00 BST is 08:00 UTC', nineToHalfFive, 'Europe/London', '2026-07-15T08:00:00Z', true],
    ['in summer, 07:59 UTC is before opening', nineToHalfFive, 'Europe/London', '2026-07-15T07:59:00Z', false],
    ['in summer, 17:30 BST is 16:30 UTC', nineToHalfFive, 'Europe/London', '2026-07-15T16:30:00Z', false],
    ['London, the Friday before clocks go forward: 08:00 UTC is 08:00 GMT', nineToFive, 'Europe/London', '2026-03-27T08:00:00Z', false],
    ['London, the Monday after: 08:00 UTC is 09:00 BST', nineToFive, 'Europe/London', '2026-03-30T08:00:00Z', true],
    ['London, 29 March: 00:59 UTC is 00:59 GMT, before a range in the skipped hour', sundaySmallHours, 'Europe/London', '2026-03-29T00:59:00Z', false],
    ['London, 29 March: 01:00 UTC is already 02:00 BST, the skipped hour never opened', sundaySmallHours, 'Europe/London', '2026-03-29T01:00:00Z', false],
    ['London, 25 October: 00:30 UTC is 01:30 BST, the first 01:30', sundaySmallHours, 'Europe/London', '2026-10-25T00:30:00Z', true],
    ['London, 25 October: 01:30 UTC is 01:30 GMT, the repeated hour is open too', sundaySmallHours, 'Europe/London', '2026-10-25T01:30:00Z', true],
    ['London, 25 October: 02:00 UTC is 02:00 GMT, closed', sundaySmallHours, 'Europe/London', '2026-10-25T02:00:00Z', false],
    ['New York, Friday before clocks go forward: 14:00 UTC is 09:00 EST', nineToFive, 'America/New_York', '2026-03-06T14:00:00Z', true],
    ['New York, Friday before: 13:59 UTC is 08:59 EST', nineToFive, 'America/New_York', '2026-03-06T13:59:00Z', false],
    ['New York, Monday after: 13:00 UTC is 09:00 EDT', nineToFive, 'America/New_York', '2026-03-09T13:00:00Z', true],
    ['New York, Monday after: 12:59 UTC is 08:59 EDT', nineToFive, 'America/New_York', '2026-03-09T12:59:00Z', false],
    ['New York, Monday after: 20:59 UTC is 16:59 EDT', nineToFive, 'America/New_York', '2026-03-09T20:59:00Z', true],
    ['New York, Monday after: 21:00 UTC is 17:00 EDT', nineToFive, 'America/New_York', '2026-03-09T21:00:00Z', false],
    ['New York, Friday before clocks go back: 13:00 UTC is 09:00 EDT', nineToFive, 'America/New_York', '2026-10-30T13:00:00Z', true],
    ['New York, Monday after clocks go back: 13:00 UTC is 08:00 EST', nineToFive, 'America/New_York', '2026-11-02T13:00:00Z', false],
    ['New York, Monday after clocks go back: 14:00 UTC is 09:00 EST', nineToFive, 'America/New_York', '2026-11-02T14:00:00Z', true],
    ['a night shift on Friday evening', nightShift, 'Europe/London', '2026-11-27T23:00:00Z', true],
    ['a night shift into Saturday morning, carried from Friday', nightShift, 'Europe/London', '2026-11-28T05:59:00Z', true],
    ['a night shift ends at 06:00', nightShift, 'Europe/London', '2026-11-28T06:00:00Z', false],
    ['a night shift is not on Sunday night (Monday 05:00)', nightShift, 'Europe/London', '2026-11-30T05:00:00Z', false],
    ['a night shift at 02:00 on Tuesday, carried from Monday', nightShift, 'Europe/London', '2026-12-01T02:00:00Z', true],
    ['a range to 24:00 in its last minute', saturdayEvening, 'Europe/London', '2026-11-28T23:59:00Z', true],
    ['a range to 24:00 is over at midnight', saturdayEvening, 'Europe/London', '2026-11-29T00:00:00Z', false],
    ['a holiday on the local calendar: 03:00 UTC on the 26th is still the 25th in New York', allWeek, 'America/New_York', '2026-12-26T03:00:00Z', false],
    ['… and already the 26th in London', allWeek, 'Europe/London', '2026-12-26T03:00:00Z', true],
  ])('%s → %s', (_name, hours, timezone, at, open) => {
    expect(scheduleOpen(hours, timezone, new Date(at))).toBe(open);
  });
});

describe('localTime', () => {
  it.each([
    ['midnight is minute 0, not 24:00', 'Europe/London', '2026-11-25T00:00:00Z', { date: '2026-11-25', weekday: 3, minutes: 0 }],
    ['Sunday is weekday 7', 'Europe/London', '2026-11-29T12:34:00Z', { date: '2026-11-29', weekday: 7, minutes: 754 }],
    ['the local date can differ from the UTC date', 'America/New_York', '2026-11-26T02:00:00Z', { date: '2026-11-25', weekday: 3, minutes: 21 * 60 }],
  ])('%s', (_name, timezone, at, expected) => {
    expect(localTime(timezone, new Date(at))).toEqual(expected);
  });
});

describe('scheduledDestination', () => {
  it.each([
    ['open', '2026-11-25T10:00:00Z', OFFICE.open],
    ['closed', '2026-11-25T20:00:00Z', OFFICE.closed],
  ])('chooses the %s destination', (_name, at, destination) => {
    expect(scheduledDestination(OFFICE, 'Europe/London', new Date(at))).toEqual(destination);
  });
});
