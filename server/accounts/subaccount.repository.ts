// SQL for subaccounts.
import { type Insertable, type Updateable, sql } from 'kysely';
import { type Database, type SubaccountRow, type SubaccountTable, containing } from '../db/index.js';
import type { SubaccountFilter } from './subaccount.schemas.js';

export async function nextNetworkNumber(db: Database): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('network_number_seq')::int as n`.execute(db);
  return `10${String(rows[0]!.n).padStart(6, '0')}`;
}

/** The lowest extension from 101 up that no subaccount of the account and nothing in `reserved` uses. */
export async function freeExtension(db: Database, accountId: string, reserved: readonly string[] = []): Promise<string> {
  const held = reserved.length ? sql`union all select extension from (values ${sql.join(reserved.map((r) => sql`(${r}::text)`))}) as r (extension)` : sql``;
  const { rows } = await sql<{ ext: string }>`
    with used as (select extension from subaccounts where account_id = ${accountId} ${held})
    select min(candidate)::text as ext
      from (select 101 as candidate
            union all
            select extension::int + 1 from used) as c
     where candidate <= 999999
       and candidate::text not in (select extension from used)`.execute(db);
  return rows[0]!.ext;
}

export function insertSubaccount(db: Database, row: Insertable<SubaccountTable>): Promise<SubaccountRow> {
  return db.insertInto('subaccounts').values(row).returningAll().executeTakeFirstOrThrow();
}

export function subaccountById(db: Database, accountId: string, id: string): Promise<SubaccountRow | undefined> {
  return db.selectFrom('subaccounts').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export function updateSubaccountRow(db: Database, id: string, changes: Updateable<SubaccountTable>) {
  return db
    .updateTable('subaccounts')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSubaccountRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('subaccounts').where('id', '=', id).execute();
}

export async function listSubaccounts(db: Database, accountId: string, filter: SubaccountFilter, onlyId?: string | null) {
  let query = db.selectFrom('subaccounts').where('account_id', '=', accountId);
  if (onlyId !== undefined) query = query.where('id', '=', onlyId ?? '00000000-0000-0000-0000-000000000000');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.costCentre) query = query.where('cost_centre', '=', filter.costCentre);
  if (filter.q) {
    const like = containing(filter.q);
    query = query.where((eb) =>
      eb.or([eb('name', 'ilike', like), eb('sip_user', 'ilike', like), eb('extension', 'like', like), eb('network_number', 'like', like)]),
    );
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('extension').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
