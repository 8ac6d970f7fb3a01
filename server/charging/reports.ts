// Monthly call-cost reports: for the whole account (its shared call list with
// costs) or one subaccount (seed 004's per-user report), broken down by call
// class, subaccount, cost centre and conference room (seed 001). The month runs
// from local midnight on the 1st in the caller's timezone (a user's own, else
// the account's), unless the request names a timezone.
import { z } from 'zod';
import { type Caller, accountSchemas, displayDialed, reachAccount } from '../accounts/index.js';
import { type CallCostReport, callCostReport, monthBounds } from '../billing/index.js';
import type { Database } from '../db/index.js';
import { Forbidden, NotFound } from '../errors.js';
import { reportCalls, reportContext, subaccountName } from './report.repository.js';

export const reportQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
  subaccountId: z.string().uuid('a UUID').optional().describe('one subaccount’s report; a user login always gets its own'),
  timezone: z
    .string()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'an IANA timezone such as Europe/Berlin')
    .optional()
    .describe('where the month starts and ends; default: the caller’s timezone, else the account’s'),
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
});
export type ReportQuery = z.output<typeof reportQuery>;

export interface MonthlyReport extends CallCostReport {
  accountId: string;
  accountName: string;
  subaccountId: string | null;
  subaccountName: string | null;
  month: string;
  timezone: string;
  from: string;
  to: string;
  currency: string | null;
  calls: {
    callUuid: string;
    startedAt: string;
    subaccountName: string | null;
    costCentre: string | null;
    direction: string;
    callClass: string;
    number: string;
    /** the number as the account shows it (its display format) */
    numberDisplay: string;
    billableSeconds: number;
    costMinor: number;
  }[];
}

export class Reports {
  constructor(private readonly deps: { db: Database }) {}

  async monthly(caller: Caller, accountId: string, query: ReportQuery): Promise<MonthlyReport> {
    const { db } = this.deps;
    await reachAccount(db, caller, accountId, 'read');
    const subaccountId = this.scope(caller, query.subaccountId);
    const name = subaccountId ? await subaccountName(db, accountId, subaccountId) : null;
    if (subaccountId && !name) throw new NotFound('subaccount');
    const context = await reportContext(db, accountId, caller.userId);
    const bounds = monthBounds(query.month, query.timezone ?? context.timezone);
    const calls = await reportCalls(db, accountId, bounds, subaccountId ?? undefined);
    const format = accountSchemas.numberFormatOf(context.account);
    return {
      accountId,
      accountName: context.accountName,
      subaccountId: subaccountId ?? null,
      subaccountName: name ?? null,
      month: bounds.month,
      timezone: bounds.timezone,
      from: bounds.from.toISOString(),
      to: bounds.to.toISOString(),
      currency: context.currency,
      ...callCostReport(calls),
      calls: calls.map((c) => ({
        callUuid: c.callUuid,
        startedAt: c.startedAt.toISOString(),
        subaccountName: c.subaccountName,
        costCentre: c.costCentre,
        direction: c.direction,
        callClass: c.callClass,
        number: c.callee || c.dialed,
        numberDisplay: displayDialed(c.callee || c.dialed, format),
        billableSeconds: c.billableSeconds,
        costMinor: c.costMinor,
      })),
    };
  }

  /** A user login sees only its own subaccount's report. */
  private scope(caller: Caller, requested: string | undefined): string | undefined {
    if (caller.role !== 'user') return requested;
    if (!caller.subaccountId || (requested && requested !== caller.subaccountId)) throw new Forbidden('a user sees only its own subaccount’s report');
    return caller.subaccountId;
  }
}
