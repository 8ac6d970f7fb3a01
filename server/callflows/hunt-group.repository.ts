// SQL for hunt groups: their settings and ordered members (call-flow.repository
// reads and writes them), and the round-robin cursors the switch keeps.
import { destinationColumns } from '../accounts/index.js';
import type { Database } from '../db/index.js';
import type { HuntGroup } from '../routing/index.js';
import type { CallFlowStorage } from './call-flow.repository.js';

export const huntGroupStorage: CallFlowStorage<'hunt_groups', HuntGroup> = {
  table: 'hunt_groups',
  columns(group) {
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
  },
  childRows: (group) =>
    group.members.map((m, position) => ({
      position,
      subaccount_id: m.kind === 'subaccount' ? m.id : null,
      e164: m.kind === 'external' ? m.e164 : null,
    })),
  // a new member list resets the round-robin cursor (positions changed)
  resetWithChildren: { round_robin_cursor: null },
};

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
