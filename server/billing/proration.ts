// Billing periods and proration, pure. A billing period is a calendar month on
// the wall clock of the account's timezone (seed 003: "billing starts at that
// date (proration)"); a monthly price is prorated by whole local days:
//
//   amount = priceMinor × daysUsed / daysInPeriod, rounded half-up once, in minor units.
//
// Which days count (the day of a change is a day of service):
//   - something added on local day d is charged days d … N   (N − d + 1 days);
//   - something removed on local day d is credited days d+1 … N (N − d days).
// So an add on the last day pays one day, a removal on the first day is credited
// N − 1 days, and an add and a removal on the same day cost exactly one day.

import { localMidnight, localParts } from './calendar.js';

export interface BillingPeriod {
  /** `YYYY-MM` of the local calendar */
  label: string;
  /** the first local midnight of the month, as a UTC instant (inclusive) */
  start: Date;
  /** the first local midnight of the next month (exclusive) */
  end: Date;
  daysInPeriod: number;
}

export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function periodOfMonth(timezone: string, year: number, month: number): BillingPeriod {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    label: `${year}-${String(month).padStart(2, '0')}`,
    start: localMidnight(timezone, year, month, 1),
    end: localMidnight(timezone, next.year, next.month, 1),
    daysInPeriod: daysInMonth(year, month),
  };
}

/** The billing period holding the instant `at`, and the local day of the month it falls on. */
export function billingPeriodAt(timezone: string, at: Date): BillingPeriod & { day: number } {
  const p = localParts(timezone, at);
  return { ...periodOfMonth(timezone, p.year, p.month), day: p.day };
}

/** The period named `YYYY-MM`; undefined when the label is not a month. */
export function billingPeriodNamed(timezone: string, label: string): BillingPeriod | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  if (!match) return undefined;
  const [year, month] = [Number(match[1]), Number(match[2])];
  if (month < 1 || month > 12 || year < 2000) return undefined;
  return periodOfMonth(timezone, year, month);
}

/** The period before the one holding `at`: the last one that has ended. */
export function lastEndedPeriod(timezone: string, at: Date): BillingPeriod {
  const current = billingPeriodAt(timezone, at);
  const [year, month] = current.label.split('-').map(Number) as [number, number];
  return month === 1 ? periodOfMonth(timezone, year - 1, 12) : periodOfMonth(timezone, year, month - 1);
}

/** priceMinor × daysUsed / daysInPeriod, rounded half-up to a whole minor unit (the one rounding). */
export function proratedMinor(priceMinor: number, daysUsed: number, daysInPeriod: number): number {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0) throw new RangeError('priceMinor: a whole number ≥ 0');
  if (!Number.isInteger(daysInPeriod) || daysInPeriod < 28 || daysInPeriod > 31) throw new RangeError('daysInPeriod: 28 … 31');
  if (!Number.isInteger(daysUsed) || daysUsed < 0 || daysUsed > daysInPeriod) throw new RangeError('daysUsed: 0 … daysInPeriod');
  // half-up: floor((2·p·d + N) / 2N), in integers (p·d stays far below 2^53 for any price we accept)
  const numerator = 2 * priceMinor * daysUsed + daysInPeriod;
  const denominator = 2 * daysInPeriod;
  return (numerator - (numerator % denominator)) / denominator;
}

/** Days charged for something added on local day `day`: the day itself to the end of the period. */
export const daysFromAdd = (day: number, daysInPeriod: number) => daysInPeriod - day + 1;
/** Days credited for something removed on local day `day`: the day after it to the end of the period. */
export const daysFromRemove = (day: number, daysInPeriod: number) => daysInPeriod - day;

export interface ChangeProration {
  /** as posted to the ledger: < 0 a debit (the monthly value went up), > 0 a credit, 0 nothing to post */
  amountMinor: number;
  days: number;
  daysInPeriod: number;
}

/**
 * What a change of monthly value (e.g. 3 seats at 20.00 → 5 seats at 20.00:
 * 60.00 → 100.00) on local day `day` costs for the rest of the period. A rise is
 * charged like an add, a fall credited like a removal; the difference is
 * prorated as one amount, so it is rounded once.
 */
export function changeProration(fromMonthlyMinor: number, toMonthlyMinor: number, day: number, daysInPeriod: number): ChangeProration {
  const delta = toMonthlyMinor - fromMonthlyMinor;
  if (delta === 0) return { amountMinor: 0, days: 0, daysInPeriod };
  if (delta > 0) {
    const days = daysFromAdd(day, daysInPeriod);
    return { amountMinor: -proratedMinor(delta, days, daysInPeriod), days, daysInPeriod };
  }
  const days = daysFromRemove(day, daysInPeriod);
  const credit = proratedMinor(-delta, days, daysInPeriod);
  return { amountMinor: credit, days, daysInPeriod };
}

/** `YYYY-MM-DD` on the local calendar of `timezone` at the instant `at`. */
export function localDate(timezone: string, at: Date): string {
  const p = localParts(timezone, at);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
