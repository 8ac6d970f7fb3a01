// Office-hours schedule operations. Both branches point at a destination of
// the account (or a number), neither may lead back to the schedule, and no
// change may leave IVR callers in a loop of menus with no way out.
import crypto from 'node:crypto';
import { type Caller, type ChangeDeps, destinationField, recordAudit } from '../accounts/index.js';
import type { AccountRow, Database } from '../db/index.js';
import { Conflict, InvalidField, NotFound } from '../errors.js';
import type { Page } from '../paging.js';
import { Directory, type Schedule } from '../routing/index.js';
import { changeCallFlows, present, reachCallFlows } from './account-scope.js';
import { chainBack, destinationProblem, menuErrorsIntroduced, snapshotWith } from './checks.js';
import { directorySnapshot } from './directory.js';
import { referencesTo } from './references.repository.js';
import * as repo from './schedule.repository.js';
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

export class Schedules {
  constructor(private readonly deps: ChangeDeps) {}

  async list(caller: Caller, accountId: string, filter: ScheduleFilter): Promise<Page<ScheduleView>> {
    await reachCallFlows(this.deps.db, caller, accountId);
    const { rows, total } = await repo.listSchedules(this.deps.db, accountId, filter);
    const ranges = await repo.rangesOf(this.deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toSchedule(r, ranges.get(r.id) ?? [])), total, limit: filter.limit, offset: filter.offset };
  }

  async get(caller: Caller, accountId: string, id: string): Promise<ScheduleView> {
    await reachCallFlows(this.deps.db, caller, accountId);
    return this.view(this.deps.db, accountId, id);
  }

  async create(caller: Caller, accountId: string, input: CreateSchedule): Promise<ScheduleView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const schedule = tidied({ ...input, id: crypto.randomUUID(), accountId });
      await this.check(trx, account, schedule);
      await repo.insertSchedule(trx, schedule);
      await repo.replaceRanges(trx, schedule);
      const created = await this.view(trx, accountId, schedule.id);
      await recordAudit(trx, caller, { accountId, entity: 'schedule', entityId: schedule.id, action: 'create', after: created });
      return created;
    });
  }

  async update(caller: Caller, accountId: string, id: string, input: UpdateSchedule): Promise<ScheduleView> {
    return changeCallFlows(this.deps, caller, accountId, async (trx, account) => {
      const before = await this.view(trx, accountId, id);
      const { createdAt: _c, updatedAt: _u, ...current } = before;
      const schedule = tidied({ ...current, ...present(input) });
      await this.check(trx, account, schedule);
      await repo.updateScheduleRow(trx, schedule);
      if (input.weekly !== undefined) await repo.replaceRanges(trx, schedule);
      const after = await this.view(trx, accountId, id);
      await recordAudit(trx, caller, { accountId, entity: 'schedule', entityId: id, action: 'update', before, after });
      return after;
    });
  }

  async remove(caller: Caller, accountId: string, id: string): Promise<void> {
    await changeCallFlows(this.deps, caller, accountId, async (trx) => {
      const before = await this.view(trx, accountId, id);
      const routing = await referencesTo(trx, accountId, ['schedule'], id);
      if (routing.length > 0) throw new Conflict('destination', `calls are still routed to this schedule by ${routing.join(', ')}`);
      await repo.deleteScheduleRow(trx, id);
      await recordAudit(trx, caller, { accountId, entity: 'schedule', entityId: id, action: 'delete', before });
    });
  }

  private async view(db: Database, accountId: string, id: string): Promise<ScheduleView> {
    const row = await repo.scheduleById(db, accountId, id);
    if (!row) throw new NotFound('schedule');
    const ranges = await repo.rangesOf(db, [id]);
    return toSchedule(row, ranges.get(id) ?? []);
  }

  private async check(db: Database, account: AccountRow, schedule: Schedule): Promise<void> {
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
