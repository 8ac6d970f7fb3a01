// Office hours: whether a schedule is open at an instant, read on the wall
// clock of the account's timezone (seed 003: the account timezone "tracks
// office hours and holiday settings"). Intl does the UTC → local step, so
// daylight-saving changes need no code of their own: a range is compared with
// the local time the clock on the office wall shows at that instant.
import { localParts } from '../billing/index.js';
import type { Destination, Schedule, WeeklyRange } from './routing.schemas.js';

interface LocalTime {
  /** YYYY-MM-DD on the local calendar. */
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0 … 1439. */
  minutes: number;
}

/** The wall-clock date, weekday and minute in `timezone` at the instant `now` (billing's calendar reads the clock). */
export function localTime(timezone: string, now: Date): LocalTime {
  const p = localParts(timezone, now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sundayIsZero = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday: sundayIsZero === 0 ? 7 : sundayIsZero, minutes: p.hour * 60 + p.minute };
}

function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function previousWeekday(weekday: number): number {
  return weekday === 1 ? 7 : weekday - 1;
}

/** A range with to ≤ from runs past midnight: its early-morning part belongs to the previous day's entry. */
function withinRange(range: WeeklyRange, at: LocalTime): boolean {
  const from = clockMinutes(range.from);
  const to = clockMinutes(range.to);
  if (from < to) return range.days.includes(at.weekday) && at.minutes >= from && at.minutes < to;
  return (
    (range.days.includes(at.weekday) && at.minutes >= from) ||
    (range.days.includes(previousWeekday(at.weekday)) && at.minutes < to)
  );
}

/** Open when the local time falls in a weekly range and the local date is not a holiday. */
export function scheduleOpen(schedule: Pick<Schedule, 'weekly' | 'holidays'>, timezone: string, now: Date): boolean {
  const at = localTime(timezone, now);
  if (schedule.holidays.includes(at.date)) return false;
  return schedule.weekly.some((range) => withinRange(range, at));
}

/** The destination a schedule chooses at `now`. */
export function scheduledDestination(schedule: Schedule, timezone: string, now: Date): Destination {
  return scheduleOpen(schedule, timezone, now) ? schedule.open : schedule.closed;
}
