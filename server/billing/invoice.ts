// The monthly bill, composed from plain data (pure): an account's ledger
// entries of one billing period become invoice lines — recurring subscription
// charges, prorations, call usage broken down by subaccount (seed 001: "a
// single bill, broken down by user ID") and by project (the subaccount's cost
// centre), adjustments — then tax and totals.
//
// On the invoice a charge is positive (the ledger's debits are negative).
// Every ledger amount is already whole minor units; the one rounding is the
// tax, half away from zero on the subtotal.
// Top-ups, initial credit and refunds move money rather than charge for a
// service: they are not invoice lines.
import type { LedgerEntryKind } from '../db/index.js';
import { type BillingPeriod, localDate } from './proration.js';

export interface InvoiceEntry {
  kind: LedgerEntryKind;
  amountMinor: number;
  memo: string;
  subaccountId: string | null;
  createdAt: Date;
}

export interface InvoiceSubaccount {
  id: string;
  name: string;
  /** the SIP user id: the "user ID" the bill is broken down by */
  sipUser: string;
  costCentre: string | null;
}

export interface InvoiceInput {
  accountId: string;
  accountName: string;
  timezone: string;
  period: BillingPeriod;
  currency: string;
  taxRateBp: number;
  entries: InvoiceEntry[];
  subaccounts: InvoiceSubaccount[];
}

export type InvoiceSection = 'subscription' | 'proration' | 'usage' | 'adjustment';

export interface InvoiceLine {
  section: InvoiceSection;
  description: string;
  /** local date of the entry; null for usage lines, which sum the whole period */
  date: string | null;
  amountMinor: number;
}

export interface UsageBySubaccount {
  subaccountId: string | null;
  name: string;
  userId: string | null;
  project: string | null;
  calls: number;
  amountMinor: number;
}

export interface UsageByProject {
  project: string | null;
  calls: number;
  amountMinor: number;
}

export interface InvoiceDocument {
  accountId: string;
  accountName: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  timezone: string;
  currency: string;
  lines: InvoiceLine[];
  usage: { calls: number; totalMinor: number; bySubaccount: UsageBySubaccount[]; byProject: UsageByProject[] };
  subtotalMinor: number;
  taxRateBp: number;
  taxMinor: number;
  totalMinor: number;
}

const SECTION_OF: Partial<Record<LedgerEntryKind, InvoiceSection>> = {
  subscription: 'subscription',
  proration: 'proration',
  adjustment: 'adjustment',
};
const ORDER: InvoiceSection[] = ['subscription', 'proration', 'usage', 'adjustment'];

/** amount × rateBp / 10,000, rounded half away from zero. */
export function taxMinor(amountMinor: number, rateBp: number): number {
  const scaled = Math.abs(amountMinor) * rateBp;
  const rounded = (2 * scaled + 10_000 - ((2 * scaled + 10_000) % 20_000)) / 20_000;
  return amountMinor < 0 ? -rounded : rounded;
}

export function usageBreakdown(entries: InvoiceEntry[], subaccounts: InvoiceSubaccount[]) {
  const known = new Map(subaccounts.map((s) => [s.id, s]));
  const bySub = new Map<string | null, UsageBySubaccount>();
  for (const e of entries) {
    if (e.kind !== 'call_charge') continue;
    const sub = e.subaccountId ? known.get(e.subaccountId) : undefined;
    const key = sub ? sub.id : null;
    const row = bySub.get(key) ?? {
      subaccountId: key, name: sub?.name ?? '(account)', userId: sub?.sipUser ?? null, project: sub?.costCentre ?? null, calls: 0, amountMinor: 0,
    };
    row.calls += 1;
    row.amountMinor -= e.amountMinor;
    bySub.set(key, row);
  }
  const bySubaccount = [...bySub.values()].sort((a, b) => a.name.localeCompare(b.name));
  const byProjectMap = new Map<string | null, UsageByProject>();
  for (const s of bySubaccount) {
    const row = byProjectMap.get(s.project) ?? { project: s.project, calls: 0, amountMinor: 0 };
    row.calls += s.calls;
    row.amountMinor += s.amountMinor;
    byProjectMap.set(s.project, row);
  }
  const byProject = [...byProjectMap.values()].sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff'));
  const totalMinor = bySubaccount.reduce((sum, s) => sum + s.amountMinor, 0);
  const calls = bySubaccount.reduce((sum, s) => sum + s.calls, 0);
  return { calls, totalMinor, bySubaccount, byProject };
}

export function composeInvoice(input: InvoiceInput): InvoiceDocument {
  const inPeriod = input.entries.filter((e) => e.createdAt >= input.period.start && e.createdAt < input.period.end);
  const usage = usageBreakdown(inPeriod, input.subaccounts);
  const lines: InvoiceLine[] = [];
  for (const e of [...inPeriod].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const section = SECTION_OF[e.kind];
    if (section) lines.push({ section, description: e.memo || e.kind, date: localDate(input.timezone, e.createdAt), amountMinor: -e.amountMinor });
  }
  for (const s of usage.bySubaccount) {
    const who = s.userId ? `${s.name} (${s.userId})` : s.name;
    lines.push({ section: 'usage', description: `Calls: ${who}, ${s.calls} call${s.calls === 1 ? '' : 's'}`, date: null, amountMinor: s.amountMinor });
  }
  lines.sort((a, b) => ORDER.indexOf(a.section) - ORDER.indexOf(b.section));
  const subtotalMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  const tax = taxMinor(subtotalMinor, input.taxRateBp);
  return {
    accountId: input.accountId,
    accountName: input.accountName,
    period: input.period.label,
    periodStart: input.period.start.toISOString(),
    periodEnd: input.period.end.toISOString(),
    timezone: input.timezone,
    currency: input.currency,
    lines,
    usage,
    subtotalMinor,
    taxRateBp: input.taxRateBp,
    taxMinor: tax,
    totalMinor: subtotalMinor + tax,
  };
}
