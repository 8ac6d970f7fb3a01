// Call-cost reports (seed 004: a user's calls and costs for a month; seed 001:
// one bill broken down by user id, by conference subaccount and by project).
// Pure: rows in, totals out; the rows' charges are the ledger's call charges,
// so a report adds up to what the balance was debited.

export interface ReportCall {
  callUuid: string;
  subaccountId: string | null;
  subaccountName: string | null;
  costCentre: string | null;
  conferenceSubaccountId: string | null;
  conferenceName: string | null;
  direction: 'outgoing' | 'incoming';
  callClass: string;
  dialed: string;
  callee: string;
  startedAt: Date;
  answered: boolean;
  billableSeconds: number;
  /** what the ledger charged for the call, in minor units (≥ 0); 0 when free or not charged */
  costMinor: number;
}

export interface ReportLine {
  key: string;
  label: string;
  calls: number;
  answered: number;
  billableSeconds: number;
  costMinor: number;
}

export interface CallCostReport {
  totals: Omit<ReportLine, 'key' | 'label'>;
  byClass: ReportLine[];
  bySubaccount: ReportLine[];
  byCostCentre: ReportLine[];
  byConference: ReportLine[];
}

const NONE = '(none)';

function add(lines: Map<string, ReportLine>, key: string, label: string, call: ReportCall): void {
  let line = lines.get(key);
  if (!line) {
    line = { key, label, calls: 0, answered: 0, billableSeconds: 0, costMinor: 0 };
    lines.set(key, line);
  }
  line.calls += 1;
  line.answered += call.answered ? 1 : 0;
  line.billableSeconds += call.billableSeconds;
  line.costMinor += call.costMinor;
}

/** Largest cost first, then by label: the lines a reader looks for first. */
const ordered = (lines: Map<string, ReportLine>) =>
  [...lines.values()].sort((a, b) => b.costMinor - a.costMinor || a.label.localeCompare(b.label));

export function callCostReport(calls: readonly ReportCall[]): CallCostReport {
  const byClass = new Map<string, ReportLine>();
  const bySub = new Map<string, ReportLine>();
  const byCentre = new Map<string, ReportLine>();
  const byConference = new Map<string, ReportLine>();
  const totals = { calls: 0, answered: 0, billableSeconds: 0, costMinor: 0 };
  for (const call of calls) {
    totals.calls += 1;
    totals.answered += call.answered ? 1 : 0;
    totals.billableSeconds += call.billableSeconds;
    totals.costMinor += call.costMinor;
    add(byClass, call.callClass, call.callClass, call);
    add(bySub, call.subaccountId ?? NONE, call.subaccountName ?? NONE, call);
    add(byCentre, call.costCentre ?? NONE, call.costCentre ?? NONE, call);
    if (call.conferenceSubaccountId) add(byConference, call.conferenceSubaccountId, call.conferenceName ?? call.conferenceSubaccountId, call);
  }
  return { totals, byClass: ordered(byClass), bySubaccount: ordered(bySub), byCostCentre: ordered(byCentre), byConference: ordered(byConference) };
}
