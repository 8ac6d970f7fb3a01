// Office-hours schedule operations. Both branches point at a destination of
// the account (or a number), neither may lead back to the schedule, and no
// change may leave IVR callers in a loop of menus with no way out.
import { type ChangeDeps, destinationField } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { InvalidField } from '../errors.js';
import { Directory, type Schedule } from '../routing/index.js';
import { CallFlows } from './call-flows.js';
import { chainBack, destinationProblem, menuErrorsIntroduced, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import { scheduleStorage } from './schedule.repository.js';
import { type CreateSchedule, type ScheduleFilter, type ScheduleView, type UpdateSchedule, toSchedule } from './schedule.schemas.js';

const BRANCHES = ['open', 'closed'] as const;

/** Holidays and weekdays sorted, each once: the same schedule always reads the same. */
function tidied(schedule: Schedule): Schedule {
  return {
    ...schedule,
    weekly: schedule.weekly.map((r) => ({ ...r, days: [...new Set(r.days)].sort((a, b) => a - b) })),
    holidays: [...new Set(schedule.holidays)].sort(),
  };
}

export class Schedules extends CallFlows<'schedules', Schedule, ScheduleView, CreateSchedule, UpdateSchedule, ScheduleFilter> {
  constructor(deps: ChangeDeps) {
    super(deps, { entity: 'schedule', noun: 'schedule', storage: scheduleStorage, view: toSchedule, childField: 'weekly', tidied });
  }

  protected override async check(db: Database, account: AccountRow, schedule: Schedule): Promise<void> {
    const snapshot = await directorySnapshot(db, account.id);
    const directory = new Directory(snapshot);
    for (const branch of BRANCHES) {
      const problem = destinationProblem(directory, account, schedule[branch]);
      if (problem) throw new InvalidField(destinationField(branch, schedule[branch]), problem);
    }
    const afterSnapshot = snapshotWith(snapshot, { schedule });
    const after = new Directory(afterSnapshot);
    for (const branch of BRANCHES) {
      const circle = chainBack(after, { kind: 'schedule', id: schedule.id }, schedule[branch]);
      if (circle) throw new InvalidField(destinationField(branch, schedule[branch]), `calls would go round in a circle: ${circle.join(' → ')}`);
    }
    const trapped = menuErrorsIntroduced(snapshot, afterSnapshot, account.id)[0];
    if (trapped) {
      // A schedule traps menu callers through a branch that leads to menus (directly or through another schedule).
      const branch = BRANCHES.find((b) => schedule[b].kind === 'ivr_menu' || schedule[b].kind === 'schedule') ?? 'open';
      const name = after.ivrMenu(trapped.menuId)?.name ?? trapped.menuId;
      throw new InvalidField(destinationField(branch, schedule[branch]), `${trapped.message} (IVR menu ${name})`);
    }
  }
}
