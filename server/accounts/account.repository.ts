// SQL for accounts.
import { sql } from 'kysely';
import { type AccountRow, type AccountUpdate, type Database, type NewAccount, containing } from '../db/index.js';
import type { Caller } from './access.js';
import type { AccountFilter } from './account.schemas.js';

export function accountById(db: Database, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Holds the account row until the transaction ends: changes that span tables (extensions, call flows) take turns. */
export async function lockAccount(db: Database, id: string): Promise<void> {
  await db.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().execute();
}

export function operatorAccount(db: Database): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('kind', '=', 'operator').executeTakeFirst();
}

export async function insertAccount(db: Database, row: Omit<NewAccount, 'lineage'> & { parentLineage: string[] }) {
  const { parentLineage, ...values } = row;
  const id = crypto.randomUUID();
  return db
    .insertInto('accounts')
    .values({ ...values, id, lineage: [...parentLineage, id] })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateAccountRow(db: Database, id: string, changes: AccountUpdate) {
  return db
    .updateTable('accounts')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Accounts the caller can see, filtered and paged. */
export async function listAccounts(db: Database, caller: Caller, filter: AccountFilter) {
  let query = db.selectFrom('accounts');
  if (caller.role === 'reseller') {
    query = query.where(sql<boolean>`lineage @> ARRAY[${caller.accountId}]::uuid[]`);
  } else if (caller.role !== 'operator') {
    query = query.where('id', '=', caller.accountId);
  }
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.parentId) query = query.where('parent_id', '=', filter.parentId);
  if (filter.q) {
    const like = containing(filter.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('realm', 'ilike', like)]));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** What still hangs off an account: a delete is refused while any is non-zero. */
export async function dependentsOf(db: Database, accountId: string) {
  const count = (table: 'accounts' | 'subaccounts' | 'devices' | 'phone_numbers', column: 'parent_id' | 'account_id') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', accountId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  return {
    accounts: await count('accounts', 'parent_id'),
    subaccounts: await count('subaccounts', 'account_id'),
    devices: await count('devices', 'account_id'),
    numbers: await count('phone_numbers', 'account_id'),
  };
}

export async function deleteAccountRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('user_id', 'in', db.selectFrom('users').select('id').where('account_id', '=', id)).execute();
  await db.deleteFrom('users').where('account_id', '=', id).execute();
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}
