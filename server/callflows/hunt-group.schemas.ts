// Hunt groups (seed 000: ring all, one after another, round robin, random):
// routing's schema is the contract; the API adds timestamps.
import { z } from 'zod';
import { destinationFrom } from '../accounts/index.js';
import type { HuntGroupMemberRow, HuntGroupRow } from '../db/index.js';
import { type HuntGroup, type HuntMember, routingSchemas } from '../routing/index.js';
import { callFlowSchemas, stamps } from './call-flow.schemas.js';

const schemas = callFlowSchemas(routingSchemas.huntGroup, 'part of the name, or the extension');

export const huntGroup = schemas.item.extend({ extension: z.string().nullable() });
export type HuntGroupView = z.infer<typeof huntGroup>;
export const createHuntGroup = schemas.create;
export type CreateHuntGroup = z.output<typeof createHuntGroup>;
export const updateHuntGroup = schemas.update;
export type UpdateHuntGroup = z.output<typeof updateHuntGroup>;
export const huntGroupFilter = schemas.filter;
export type HuntGroupFilter = z.output<typeof huntGroupFilter>;

function memberOf(row: HuntGroupMemberRow): HuntMember {
  return row.subaccount_id ? { kind: 'subaccount', id: row.subaccount_id } : { kind: 'external', e164: row.e164 ?? '' };
}

/** The hunt group as routing reads it; `members` in ringing order. */
export function huntGroupOf(row: HuntGroupRow, members: readonly HuntGroupMemberRow[]): HuntGroup {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    extension: row.extension,
    strategy: row.strategy,
    members: members.map(memberOf),
    memberTimeoutSeconds: row.member_timeout_seconds,
    totalTimeoutSeconds: row.total_timeout_seconds,
    skipBusy: row.skip_busy,
    fallback: destinationFrom(row.fallback_kind, row.fallback_id, row.fallback_e164),
  };
}

export function toHuntGroup(row: HuntGroupRow, members: readonly HuntGroupMemberRow[]): HuntGroupView {
  return {
    ...huntGroupOf(row, members),
    extension: row.extension,
    ...stamps(row),
  };
}
