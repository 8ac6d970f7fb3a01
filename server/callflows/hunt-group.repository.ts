// SQL for hunt groups and their ordered members.
import { destinationColumns } from '../accounts/index.js';
import type { Database, HuntGroupMemberRow, HuntGroupRow } from '../db/index.js';
import type { HuntGroup } from '../routing/index.js';
import { byParent } from './child-rows.js';
import type { HuntGroupFilter } from './hunt-group.schemas.js';

type Settings = Omit<HuntGroup, 'id' | 'accountId' | 'members'>;

function columns(group: Settings) {
  const fallback = destinationColumns(group.fallback);
  return {
    name: group.name,
    extension: group.extension ?? null,
    strategy: group.strategy,
    member_timeout_seconds: group.memberTimeoutSeconds,
    total_timeout_seconds: group.totalTimeoutSeconds,
    skip_busy: group.skipBusy,
    fallback_kind: fallback.kind,
    fallback_id: fallback.id,
    fallback_e164: fallback.e164,
  };
}

export function insertHuntGroup(db: Database, group: HuntGroup): Promise<HuntGroupRow> {
  return db
    .insertInto('hunt_groups')
    .values({ id: group.id, account_id: group.accountId, ...columns(group) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Saves the settings; a new member list also resets the round-robin cursor (positions changed). */
export function updateHuntGroupRow(db: Database, group: HuntGroup, membersChanged: boolean): Promise<HuntGroupRow> {
  return db
    .updateTable('hunt_groups')
    .set({ ...columns(group), ...(membersChanged ? { round_robin_cursor: null } : {}), updated_at: new Date() })
    .where('id', '=', group.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function huntGroupById(db: Database, accountId: string, id: string): Promise<HuntGroupRow | undefined> {
  return db.selectFrom('hunt_groups').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function deleteHuntGroupRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('hunt_groups').where('id', '=', id).execute();
}

export async function replaceMembers(db: Database, group: HuntGroup): Promise<void> {
  await db.deleteFrom('hunt_group_members').where('hunt_group_id', '=', group.id).execute();
  await db
    .insertInto('hunt_group_members')
    .values(
      group.members.map((m, position) => ({
        hunt_group_id: group.id,
        position,
        subaccount_id: m.kind === 'subaccount' ? m.id : null,
        e164: m.kind === 'external' ? m.e164 : null,
      })),
    )
    .execute();
}

/** Members of the given hunt groups, in ringing order, by hunt group id. */
export async function membersOf(db: Database, ids: readonly string[]): Promise<Map<string, HuntGroupMemberRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('hunt_group_members')
    .selectAll()
    .where('hunt_group_id', 'in', ids)
    .orderBy('hunt_group_id')
    .orderBy('position')
    .execute();
  return byParent(rows, (r) => r.hunt_group_id);
}

export async function listHuntGroups(db: Database, accountId: string, filter: HuntGroupFilter) {
  let query = db.selectFrom('hunt_groups').where('account_id', '=', accountId);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('extension', 'like', like)]));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Round-robin cursors by hunt group id, as the switch stored them. */
export async function huntCursors(db: Database): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('hunt_groups')
    .select(['id', 'round_robin_cursor'])
    .where('round_robin_cursor', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.round_robin_cursor ?? 0]));
}

/** Stores where the next round-robin call starts (routing's `nextCursor`). */
export async function saveHuntCursor(db: Database, huntGroupId: string, cursor: number | null): Promise<void> {
  await db.updateTable('hunt_groups').set({ round_robin_cursor: cursor }).where('id', '=', huntGroupId).execute();
}
