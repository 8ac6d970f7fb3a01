// SQL for web logins.
import type { Insertable, Updateable } from 'kysely';
import { type Database, type UserRow, type UserTable, containing } from '../db/index.js';
import type { UserFilter } from './user.schemas.js';

export function insertUser(db: Database, row: Insertable<UserTable>): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export function userById(db: Database, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function userByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function ownerOf(db: Database, accountId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('role', '=', 'owner').executeTakeFirst();
}

export function updateUserRow(db: Database, id: string, changes: Updateable<UserTable>): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteUserRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function listUsers(db: Database, accountId: string, filter: UserFilter, onlyId?: string) {
  let query = db.selectFrom('users').where('account_id', '=', accountId);
  if (onlyId) query = query.where('id', '=', onlyId);
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.q) {
    const like = containing(filter.q);
    query = query.where((eb) => eb.or([eb('email', 'ilike', like), eb('name', 'ilike', like)]));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Refresh tokens: one row per issued token, rotated on use. */
export async function insertRefreshToken(db: Database, row: { id: string; userId: string; family: string; expiresAt: Date }) {
  await db
    .insertInto('refresh_tokens')
    .values({ id: row.id, user_id: row.userId, family: row.family, expires_at: row.expiresAt, used_at: null, revoked_at: null })
    .execute();
}

/** Marks the token used, returning it only if it was still fresh (not used, revoked or expired). */
export function consumeRefreshToken(db: Database, id: string, now: Date) {
  return db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'family'])
    .executeTakeFirst();
}

export async function revokeRefreshFamily(db: Database, family: string, now: Date) {
  await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('family', '=', family).where('revoked_at', 'is', null).execute();
}

export async function revokeUserTokens(db: Database, userId: string, now: Date) {
  await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

export function refreshTokenFamily(db: Database, id: string) {
  return db.selectFrom('refresh_tokens').select(['family', 'user_id']).where('id', '=', id).executeTakeFirst();
}
