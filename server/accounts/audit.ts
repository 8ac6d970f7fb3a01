// The audit log: every change, who made it, before and after. Snapshots are
// built by the features from their public shapes, so no secret can slip in;
// `redacted` strips any key that still looks like one, as a second guard.
import type { Database } from '../db/index.js';
import type { Caller } from './access.js';

export interface AuditEntry {
  accountId: string | null;
  entity: string;
  entityId: string;
  /** create, update, delete, or a more precise verb such as `update (password changed)` */
  action: string;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEY = /pass(word|code)|secret|token|hash|_enc$|Enc$|^moderator_?pin$/i;

export function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redacted(v)]),
    );
  }
  return value;
}

export async function recordAudit(db: Database, caller: Caller, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: caller.userId,
      actor: caller.label,
      account_id: entry.accountId,
      entity: entry.entity,
      entity_id: entry.entityId,
      action: entry.action,
      before: entry.before === undefined ? null : JSON.stringify(redacted(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(redacted(entry.after)),
    })
    .execute();
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  actorUserId: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

export async function auditOf(db: Database, accountId: string, page: { limit: number; offset: number; entity?: string | undefined }) {
  let query = db.selectFrom('audit_log').where('account_id', '=', accountId);
  if (page.entity) query = query.where('entity', '=', page.entity);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items: AuditRecord[] = rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actor: r.actor,
    actorUserId: r.actor_user_id,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    before: r.before,
    after: r.after,
  }));
  return { items, total: Number(count.n), limit: page.limit, offset: page.offset };
}
