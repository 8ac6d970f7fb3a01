// Office-hours schedules: weekly ranges in the account's local time, closed
// holidays, and where calls go when open and when closed. Routing's schema is
// the contract; the API adds timestamps.
import { z } from 'zod';
import { destinationFrom } from '../accounts/index.js';
import type { ScheduleRangeRow, ScheduleRow } from '../db/index.js';
import { type Destination, type Schedule, routingSchemas } from '../routing/index.js';
import { callFlowSchemas, stamps } from './call-flow.schemas.js';

const schemas = callFlowSchemas(routingSchemas.schedule, 'part of the name');

export const schedule = schemas.item;
export type ScheduleView = z.infer<typeof schedule>;
export const createSchedule = schemas.create;
export type CreateSchedule = z.output<typeof createSchedule>;
export const updateSchedule = schemas.update;
export type UpdateSchedule = z.output<typeof updateSchedule>;
export const scheduleFilter = schemas.filter;
export type ScheduleFilter = z.output<typeof scheduleFilter>;

/** The schedule as routing reads it. */
export function scheduleOf(row: ScheduleRow, ranges: readonly ScheduleRangeRow[]): Schedule {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    weekly: ranges.map((r) => ({ days: r.days, from: r.opens, to: r.closes })),
    holidays: row.holidays,
    // both branches are NOT NULL in the table
    open: destinationFrom(row.open_kind, row.open_id, row.open_e164) as Destination,
    closed: destinationFrom(row.closed_kind, row.closed_id, row.closed_e164) as Destination,
  };
}

export function toSchedule(row: ScheduleRow, ranges: readonly ScheduleRangeRow[]): ScheduleView {
  return { ...scheduleOf(row, ranges), ...stamps(row) };
}
