// SQL for office-hours schedules and their weekly ranges.
import { destinationColumns } from '../accounts/index.js';
import type { Database, ScheduleRangeRow, ScheduleRow } from '../db/index.js';
import type { Destination, Schedule } from '../routing/index.js';
import { byParent } from './child-rows.js';
import type { ScheduleFilter } from './schedule.schemas.js';

/** Branches are never null, so their kind is never null either. */
function branch(d: Destination) {
  const c = destinationColumns(d);
  return { kind: c.kind ?? 'number', id: c.id, e164: c.e164 };
}

function columns(schedule: Schedule) {
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
}

export function insertSchedule(db: Database, schedule: Schedule): Promise<ScheduleRow> {
  return db
    .insertInto('schedules')
    .values({ id: schedule.id, account_id: schedule.accountId, ...columns(schedule) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateScheduleRow(db: Database, schedule: Schedule): Promise<ScheduleRow> {
  return db
    .updateTable('schedules')
    .set({ ...columns(schedule), updated_at: new Date() })
    .where('id', '=', schedule.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function scheduleById(db: Database, accountId: string, id: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('schedules').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function deleteScheduleRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('schedules').where('id', '=', id).execute();
}

export async function replaceRanges(db: Database, schedule: Schedule): Promise<void> {
  await db.deleteFrom('schedule_ranges').where('schedule_id', '=', schedule.id).execute();
  if (schedule.weekly.length === 0) return;
  await db
    .insertInto('schedule_ranges')
    .values(schedule.weekly.map((r, position) => ({ schedule_id: schedule.id, position, days: r.days, opens: r.from, closes: r.to })))
    .execute();
}

/** Weekly ranges of the given schedules, in order, by schedule id. */
export async function rangesOf(db: Database, ids: readonly string[]): Promise<Map<string, ScheduleRangeRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('schedule_ranges')
    .selectAll()
    .where('schedule_id', 'in', ids)
    .orderBy('schedule_id')
    .orderBy('position')
    .execute();
  return byParent(rows, (r) => r.schedule_id);
}

export async function listSchedules(db: Database, accountId: string, filter: ScheduleFilter) {
  let query = db.selectFrom('schedules').where('account_id', '=', accountId);
  if (filter.q) query = query.where('name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
