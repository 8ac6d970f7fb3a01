// Calendar math in a timezone, the one place for it in billing: local wall
// time of an instant, the instant of a local midnight, and calendar months as
// [from, to) UTC instants — a report's or an invoice's month starts at local
// midnight on the 1st, a different instant in Tokyo and in New York. Pure:
// Intl only, no clock.

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat costs ~100× formatting with one: kept per timezone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall clock in `timezone` at the instant `at`. */
export function localParts(timezone: string, at: Date): LocalParts {
  const part: Record<string, number> = {};
  for (const p of formatterFor(timezone).formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  return { year: part.year!, month: part.month!, day: part.day!, hour: part.hour!, minute: part.minute!, second: part.second! };
}

/** Local wall time minus UTC, in ms, at the instant `t`. */
function offsetAt(timezone: string, t: number): number {
  const p = localParts(timezone, new Date(t));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (t - (t % 1000));
}

/** The UTC instant when the wall clock in `timezone` shows this local date and hour (the later one across a DST gap). */
export function localInstant(timezone: string, year: number, month: number, day: number, hour = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  // two passes settle the offset, also when the first guess lands on the other side of a DST change
  const first = wall - offsetAt(timezone, wall);
  return new Date(wall - offsetAt(timezone, first));
}

/** The UTC instant of local midnight starting `year-month-day` in `timezone`. */
export const localMidnight = (timezone: string, year: number, month: number, day: number): Date => localInstant(timezone, year, month, day);

export interface MonthBounds {
  /** YYYY-MM */
  month: string;
  timezone: string;
  /** first instant of the month, inclusive */
  from: Date;
  /** first instant of the next month, exclusive */
  to: Date;
}

/** The month `YYYY-MM` in `timezone`, as [from, to) UTC instants. */
export function monthBounds(month: string, timezone: string): MonthBounds {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  const next = m === 12 ? { year: year + 1, m: 1 } : { year, m: m + 1 };
  return { month, timezone, from: localMidnight(timezone, year, m, 1), to: localMidnight(timezone, next.year, next.m, 1) };
}

/** The month `at` falls in, as seen in `timezone`. */
export function monthOf(at: Date, timezone: string): string {
  const p = localParts(timezone, at);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}
