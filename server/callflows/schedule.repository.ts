// SQL for office-hours schedules: their branches and holidays, and their
// weekly ranges (call-flow.repository reads and writes them).
import { destinationColumns } from '../accounts/index.js';
import type { Destination, Schedule } from '../routing/index.js';
import type { CallFlowStorage } from './call-flow.repository.js';

/** Branches are never null, so their kind is never null either. */
function branch(d: Destination) {
  const c = destinationColumns(d);
  return { kind: c.kind ?? 'number', id: c.id, e164: c.e164 };
}

export const scheduleStorage: CallFlowStorage<'schedules', Schedule> = {
  table: 'schedules',
  columns(schedule) {
    const open = branch(schedule.open);
    const closed = branch(schedule.closed);
    return {
      name: schedule.name,
      holidays: schedule.holidays,
      open_kind: open.kind,
      open_id: open.id,
      open_e164: open.e164,
      closed_kind: closed.kind,
      closed_id: closed.id,
      closed_e164: closed.e164,
    };
  },
  childRows: (schedule) =>
    schedule.weekly.map((r, position) => ({ position, days: r.days, opens: r.from, closes: r.to })),
};
