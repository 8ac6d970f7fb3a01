// The report core: each breakdown adds up to the total, largest cost first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReportCall, callCostReport } from '../../../server/billing/index.js';

const call = (over: Partial<ReportCall>): ReportCall => ({
  callUuid: 'c', subaccountId: 's1', subaccountName: 'Anna', costCentre: null, conferenceSubaccountId: null, conferenceName: null,
  direction: 'outgoing', callClass: 'mobile', dialed: '', callee: '+49151', startedAt: new Date(0), answered: true, billableSeconds: 60, costMinor: 12,
  ...over,
});

describe('callCostReport', () => {
  it('totals by class, subaccount, cost centre and conference room (hand-computed)', () => {
    const report = callCostReport([
      call({ costMinor: 12, billableSeconds: 60 }),
      call({ callClass: 'national', costMinor: 5, billableSeconds: 30, costCentre: 'project-x' }),
      call({ subaccountId: 's2', subaccountName: 'Ben', costMinor: 0, answered: false, billableSeconds: 0 }),
      call({ subaccountId: 's2', subaccountName: 'Ben', callClass: 'extension', costMinor: 0, conferenceSubaccountId: 'room', conferenceName: 'Board room', billableSeconds: 600 }),
    ]);
    expect(report.totals).toEqual({ calls: 4, answered: 3, billableSeconds: 690, costMinor: 17 });
    expect(report.byClass.map((l) => [l.key, l.calls, l.costMinor])).toEqual([['mobile', 2, 12], ['national', 1, 5], ['extension', 1, 0]]);
    expect(report.bySubaccount.map((l) => [l.label, l.calls, l.costMinor])).toEqual([['Anna', 2, 17], ['Ben', 2, 0]]);
    expect(report.byCostCentre.map((l) => [l.label, l.costMinor])).toEqual([['(none)', 12], ['project-x', 5]]);
    expect(report.byConference).toEqual([{ key: 'room', label: 'Board room', calls: 1, answered: 1, billableSeconds: 600, costMinor: 0 }]);
  });

  it('every breakdown sums to the totals, whatever the calls', () => {
    const arbitraryCall = fc.record({
      subaccountId: fc.constantFrom('a', 'b', 'c', null),
      costCentre: fc.constantFrom('x', 'y', null),
      callClass: fc.constantFrom('mobile', 'local', 'extension'),
      billableSeconds: fc.nat(10_000),
      costMinor: fc.nat(100_000),
      answered: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryCall, { maxLength: 50 }), (calls) => {
        const report = callCostReport(calls.map((c) => call({ ...c, subaccountName: c.subaccountId })));
        for (const lines of [report.byClass, report.bySubaccount, report.byCostCentre]) {
          expect(lines.reduce((s, l) => s + l.costMinor, 0)).toBe(report.totals.costMinor);
          expect(lines.reduce((s, l) => s + l.calls, 0)).toBe(report.totals.calls);
        }
      }),
    );
  });
});
