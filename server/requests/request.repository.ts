// SQL for service requests and their comments.
import { type Insertable, type Updateable, sql } from 'kysely';
import type {
  Database,
  ServiceRequestCommentRow,
  ServiceRequestCommentTable,
  ServiceRequestKind,
  ServiceRequestRow,
  ServiceRequestTable,
} from '../db/index.js';
import type { RequestFilter } from './request.schemas.js';

export function insertRequest(db: Database, row: Insertable<ServiceRequestTable>): Promise<ServiceRequestRow> {
  return db
    .insertInto('service_requests')
    .values({ ...row, details: JSON.stringify(row.details) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The request, locked until the transaction ends when `lock`: transitions of one request take turns. */
export function requestById(db: Database, accountId: string, id: string, lock = false): Promise<ServiceRequestRow | undefined> {
  const query = db.selectFrom('service_requests').selectAll().where('id', '=', id).where('account_id', '=', accountId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export function updateRequestRow(db: Database, id: string, changes: Updateable<ServiceRequestTable>): Promise<ServiceRequestRow> {
  const outcome = changes.outcome === undefined ? {} : { outcome: JSON.stringify(changes.outcome) };
  return db
    .updateTable('service_requests')
    .set({ ...changes, ...outcome, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertComment(db: Database, row: Insertable<ServiceRequestCommentTable>): Promise<void> {
  await db.insertInto('service_request_comments').values(row).execute();
}

export function commentsOf(db: Database, requestIds: string[]): Promise<ServiceRequestCommentRow[]> {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('service_request_comments')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, id: Number(r.id) })));
}

/** Requests of one account, or (accountId undefined) of every account under `under` (the staff queue; null: all). */
export async function listRequests(db: Database, filter: RequestFilter, scope: { accountId: string } | { under: string | null }) {
  let query = db.selectFrom('service_requests');
  if ('accountId' in scope) query = query.where('account_id', '=', scope.accountId);
  else if (scope.under) {
    const under = scope.under;
    query = query.where('account_id', 'in', db.selectFrom('accounts').select('id').where(sql<boolean>`lineage @> ARRAY[${under}]::uuid[]`));
  }
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Whether the account has a request of `kind` still open or in progress. */
export async function hasPending(db: Database, accountId: string, kind: ServiceRequestKind): Promise<boolean> {
  const row = await db
    .selectFrom('service_requests')
    .select('id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('status', 'in', ['open', 'in_progress'])
    .executeTakeFirst();
  return row !== undefined;
}

/** Facts the filing checks read from the account: which of these numbers it has, which subaccounts, a login. */
export async function numbersHeld(db: Database, accountId: string, e164s: string[]): Promise<Set<string>> {
  if (e164s.length === 0) return new Set();
  const rows = await db.selectFrom('phone_numbers').select('e164').where('account_id', '=', accountId).where('e164', 'in', e164s).execute();
  return new Set(rows.map((r) => r.e164));
}

export async function subaccountsHeld(db: Database, accountId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('subaccounts').select('id').where('account_id', '=', accountId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function macTaken(db: Database, mac: string): Promise<boolean> {
  return (await db.selectFrom('devices').select('id').where('mac', '=', mac).executeTakeFirst()) !== undefined;
}

export function loginOf(db: Database, accountId: string, by: { id: string } | { email: string }) {
  let query = db.selectFrom('users').select(['id', 'email', 'role', 'disabled']).where('account_id', '=', accountId);
  query = 'id' in by ? query.where('id', '=', by.id) : query.where('email', '=', by.email);
  return query.executeTakeFirst();
}
