// Calendar months in a timezone, as UTC instants: a report's or an invoice's
// month starts at local midnight on the 1st, which is a different instant in
// Tokyo and in New York. Pure: Intl only, no clock.

/** The UTC offset of `timezone` at `at`, in minutes (east of UTC positive). */
export function offsetMinutes(timezone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant when the wall clock in `timezone` shows this local date and time (the later one across a DST gap). */
export function zonedInstant(timezone: string, year: number, month: number, day: number, hour = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  // two passes settle the offset, also when the first guess lands on the other side of a DST change
  let guess = wall - offsetMinutes(timezone, new Date(wall)) * 60_000;
  guess = wall - offsetMinutes(timezone, new Date(guess)) * 60_000;
  return new Date(guess);
}

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
  return { month, timezone, from: zonedInstant(timezone, year, m, 1), to: zonedInstant(timezone, next.year, next.m, 1) };
}

/** The month `at` falls in, as seen in `timezone`. */
export function monthOf(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}
