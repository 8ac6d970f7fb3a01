// IANA timezone → each vendor's form, derived from Intl only (no tz database of
// our own). Pure: the caller passes the year whose DST rules it wants. A zone's
// rules are read from the year's offset transitions, so a zone that changes its
// rules is right for the year asked about.

export interface DstChange {
  month: number;
  /** Occurrence of the weekday in the month, 1–4, or 5 for "last". */
  week: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** The day of the month in the year asked about. */
  day: number;
  /** Local wall-clock time of the change, in minutes after midnight, in the time in force before it. */
  minutes: number;
}

export interface ZoneRules {
  zone: string;
  /** Standard (winter) offset east of UTC. */
  standardOffsetMinutes: number;
  /** Abbreviations for a POSIX TZ string, e.g. CET/CEST; quoted <+0530> form when Intl has no letters. */
  standardAbbr: string;
  dst?: { start: DstChange; end: DstChange; saveMinutes: number; abbr: string };
}

const MINUTE = 60_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  return format;
}

/** True when Intl knows the zone name. */
export function isKnownZone(zone: string): boolean {
  try {
    offsetFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset east of UTC at an instant, in minutes. */
export function offsetMinutesAt(zone: string, at: Date): number {
  const name = offsetFormat(zone).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m?.[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

interface Transition {
  at: number;
  before: number;
  after: number;
}

/** The instants in a year where the offset changes, found day by day then narrowed to the minute. */
function transitionsIn(zone: string, year: number): Transition[] {
  const found: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let prevAt = Date.UTC(year, 0, 1);
  let prev = offsetMinutesAt(zone, new Date(prevAt));
  for (let t = prevAt + 86_400_000; t <= end; t += 86_400_000) {
    const now = offsetMinutesAt(zone, new Date(t));
    if (now !== prev) {
      let lo = prevAt;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetMinutesAt(zone, new Date(mid)) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: prev, after: now });
    }
    prev = now;
    prevAt = t;
  }
  return found;
}

function changeAt(t: Transition): DstChange {
  const local = new Date(t.at + t.before * MINUTE);
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), month, 0)).getUTCDate();
  const week = day + 7 > daysInMonth ? 5 : Math.ceil(day / 7);
  return { month, week, weekday: local.getUTCDay(), day, minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

const ABBR_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'];

function abbreviation(zone: string, at: Date, locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function quotedAbbr(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = abs % 60 ? String(abs % 60).padStart(2, '0') : '';
  return `<${sign}${hh}${mm}>`;
}

/** Letters from the first English locale that names both seasons, else the quoted numeric form. */
function abbreviations(zone: string, stdAt: Date, std: number, dst?: { at: Date; offset: number }): [string, string] {
  for (const locale of ABBR_LOCALES) {
    const a = abbreviation(zone, stdAt, locale);
    const b = dst ? abbreviation(zone, dst.at, locale) : a;
    if (/^[A-Z]{3,5}$/.test(a) && /^[A-Z]{3,5}$/.test(b) && (!dst || a !== b)) return [a, b];
  }
  return [quotedAbbr(std), dst ? quotedAbbr(dst.offset) : quotedAbbr(std)];
}

// Working a zone's rules out scans its year through Intl (~1 ms); every device of
// an account shares them, so they are kept per zone and year (frozen: a memo
// of immutable values, nothing a caller can observe).
const rulesMemo = new Map<string, Readonly<ZoneRules>>();

/** The zone's standard offset and DST rule as in force in `year`. Throws RangeError for an unknown zone. */
export function zoneRules(zone: string, year: number): ZoneRules {
  const key = `${zone}@${year}`;
  let rules = rulesMemo.get(key);
  if (!rules) {
    rules = deepFreeze(rulesOf(zone, year));
    rulesMemo.set(key, rules);
  }
  return rules;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

function rulesOf(zone: string, year: number): ZoneRules {
  const transitions = transitionsIn(zone, year);
  const jan = new Date(Date.UTC(year, 0, 1));
  const up = transitions.find((t) => t.after > t.before);
  const down = transitions.find((t) => t.after < t.before);
  if (!up || !down) {
    const offset = offsetMinutesAt(zone, jan);
    return { zone, standardOffsetMinutes: offset, standardAbbr: abbreviations(zone, jan, offset)[0] };
  }
  const std = down.after;
  const dstOffset = up.after;
  const stdAt = new Date(up.at - 86_400_000);
  const [standardAbbr, abbr] = abbreviations(zone, stdAt, std, { at: new Date(up.at + 86_400_000), offset: dstOffset });
  return {
    zone,
    standardOffsetMinutes: std,
    standardAbbr,
    dst: { start: changeAt(up), end: changeAt(down), saveMinutes: dstOffset - std, abbr },
  };
}

/** "+1", "-5", "+5:30": hours east of UTC with minutes only when needed. */
export function signedHours(offsetMinutes: number, zeroSign = '+'): string {
  const sign = offsetMinutes < 0 ? '-' : offsetMinutes > 0 ? '+' : zeroSign;
  const abs = Math.abs(offsetMinutes);
  const mm = abs % 60;
  return `${sign}${Math.floor(abs / 60)}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`;
}

function clock(minutes: number, full: boolean): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (full) return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
  return m ? `${h}:${String(m).padStart(2, '0')}` : String(h);
}

function posixOffset(eastMinutes: number): string {
  // POSIX counts hours WEST of Greenwich: CET is "-1".
  return signedHours(-eastMinutes, '').replace(/^\+/, '');
}

/**
 * POSIX TZ string. `short` is the tzdata form (`CET-1CEST,M3.5.0,M10.5.0/3`);
 * `full` spells out the DST offset and hh:mm:ss times, which Grandstream wants.
 */
export function posixTz(rules: ZoneRules, style: 'short' | 'full' = 'short'): string {
  const std = `${rules.standardAbbr}${posixOffset(rules.standardOffsetMinutes)}`;
  const dst = rules.dst;
  if (!dst) return std;
  const full = style === 'full';
  const dstOffset = full || dst.saveMinutes !== 60 ? posixOffset(rules.standardOffsetMinutes + dst.saveMinutes) : '';
  const rule = (c: DstChange): string => {
    const time = full || c.minutes !== 120 ? `/${clock(c.minutes, full)}` : '';
    return `M${c.month}.${c.week}.${c.weekday}${time}`;
  };
  return `${std}${dst.abbr}${dstOffset},${rule(dst.start)},${rule(dst.end)}`;
}
