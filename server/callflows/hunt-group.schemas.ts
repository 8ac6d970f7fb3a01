// Hunt groups (seed 000: ring all, one after another, round robin, random):
// routing's schema is the contract; the API adds timestamps.
import { z } from 'zod';
import { destinationFrom } from '../accounts/index.js';
import type { HuntGroupMemberRow, HuntGroupRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { type HuntGroup, type HuntMember, routingSchemas } from '../routing/index.js';
import { patchOf } from './patch.js';

export const huntGroup = routingSchemas.huntGroup.extend({
  extension: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HuntGroupView = z.infer<typeof huntGroup>;

export const createHuntGroup = routingSchemas.huntGroup.omit({ id: true, accountId: true });
export type CreateHuntGroup = z.output<typeof createHuntGroup>;

export const updateHuntGroup = patchOf(createHuntGroup.shape);
export type UpdateHuntGroup = z.output<typeof updateHuntGroup>;

export const huntGroupFilter = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('part of the name, or the extension'),
});
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
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
