// SQL every call flow shares. A hunt group, an IVR menu and a schedule are each
// one row of their table (id, account_id, name, created_at, updated_at and
// their own settings) and ordered child rows of a second table (members,
// options, weekly ranges) that hang off it by parent id.
import type { Insertable, Selectable, Updateable } from 'kysely';
import { type DB, type Database, containing } from '../db/index.js';
import { byParent } from './child-rows.js';

/** Each call-flow table with the table of its child rows, the column naming the parent and the one ordering them. */
const CHILDREN = {
  hunt_groups: { table: 'hunt_group_members', parent: 'hunt_group_id', order: 'position' },
  ivr_menus: { table: 'ivr_menu_options', parent: 'ivr_menu_id', order: 'digit' },
  schedules: { table: 'schedule_ranges', parent: 'schedule_id', order: 'position' },
} as const;

export type CallFlowTable = keyof typeof CHILDREN;
type ChildTable<T extends CallFlowTable> = (typeof CHILDREN)[T]['table'];
type ParentColumn<T extends CallFlowTable> = (typeof CHILDREN)[T]['parent'];
export type CallFlowRow<T extends CallFlowTable> = Selectable<DB[T]> & { id: string };
export type ChildRow<T extends CallFlowTable> = Selectable<DB[ChildTable<T>]>;
type Columns<T extends CallFlowTable> = Omit<Insertable<DB[T]>, 'id' | 'account_id'> & Updateable<DB[T]>;

/**
 * How one kind of call flow is stored: its table, the columns of its own
 * settings, and the child rows it owns (without the parent id).
 */
export interface CallFlowStorage<T extends CallFlowTable, E> {
  table: T;
  columns(entity: E): Columns<T>;
  childRows(entity: E): Omit<Insertable<DB[ChildTable<T>]>, ParentColumn<T>>[];
  /** columns set back when the child rows are replaced (hunt groups: the round-robin cursor counts positions) */
  resetWithChildren?: Updateable<DB[T]>;
}

// Kysely cannot follow a table name that is a type parameter; the names are
// checked above (CHILDREN, Columns) and the queries below are written once
// against one of the tables, whose columns every call-flow table has.
const asHunt = (table: CallFlowTable) => table as 'hunt_groups';
const childrenOf = (table: CallFlowTable) => CHILDREN[table] as unknown as (typeof CHILDREN)['hunt_groups'];
const rowsOf = <T extends CallFlowTable, R>(rows: R) => rows as unknown as CallFlowRow<T>;

export function callFlowById<T extends CallFlowTable>(db: Database, table: T, accountId: string, id: string) {
  return db
    .selectFrom(asHunt(table))
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst() as Promise<CallFlowRow<T> | undefined>;
}

/** A page of the account's call flows of one kind by name; `q` is part of any of `searched` (`name`, `extension`). */
export async function callFlowPage<T extends CallFlowTable>(
  db: Database,
  table: T,
  accountId: string,
  filter: { q?: string | undefined; limit: number; offset: number },
  searched: readonly ('name' | 'extension')[] = ['name'],
): Promise<{ rows: CallFlowRow<T>[]; total: number }> {
  let query = db.selectFrom(asHunt(table)).where('account_id', '=', accountId);
  if (filter.q) {
    const like = containing(filter.q);
    query = query.where((eb) => eb.or(searched.map((column) => eb(column, 'ilike', like))));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(rowsOf<T, (typeof rows)[number]>), total: Number(count.n) };
}

export async function insertCallFlow<T extends CallFlowTable, E extends { id: string; accountId: string }>(
  db: Database,
  storage: CallFlowStorage<T, E>,
  entity: E,
): Promise<void> {
  const columns = storage.columns(entity) as unknown as Insertable<DB['hunt_groups']>;
  await db
    .insertInto(asHunt(storage.table))
    .values({ ...columns, id: entity.id, account_id: entity.accountId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCallFlow<T extends CallFlowTable, E extends { id: string }>(
  db: Database,
  storage: CallFlowStorage<T, E>,
  entity: E,
  childrenReplaced: boolean,
): Promise<void> {
  const reset = childrenReplaced ? storage.resetWithChildren : undefined;
  const columns = { ...storage.columns(entity), ...reset } as unknown as Updateable<DB['hunt_groups']>;
  await db
    .updateTable(asHunt(storage.table))
    .set({ ...columns, updated_at: new Date() })
    .where('id', '=', entity.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteCallFlow(db: Database, table: CallFlowTable, id: string): Promise<void> {
  await db.deleteFrom(asHunt(table)).where('id', '=', id).execute();
}

export async function replaceChildRows<T extends CallFlowTable, E extends { id: string }>(
  db: Database,
  storage: CallFlowStorage<T, E>,
  entity: E,
): Promise<void> {
  const { table, parent } = childrenOf(storage.table);
  await db.deleteFrom(table).where(parent, '=', entity.id).execute();
  const rows = storage.childRows(entity).map((row) => ({ ...row, [parent]: entity.id }));
  if (rows.length === 0) return;
  await db.insertInto(table).values(rows as unknown as Insertable<DB['hunt_group_members']>[]).execute();
}

/** Child rows of the given call flows, in order, by parent id. */
export async function childRowsOf<T extends CallFlowTable>(
  db: Database,
  table: T,
  ids: readonly string[],
): Promise<Map<string, ChildRow<T>[]>> {
  if (ids.length === 0) return new Map();
  const children = childrenOf(table);
  const rows = await db
    .selectFrom(children.table)
    .selectAll()
    .where(children.parent, 'in', ids)
    .orderBy(children.parent)
    .orderBy(children.order)
    .execute();
  return byParent(rows, (r) => r[children.parent]) as unknown as Map<string, ChildRow<T>[]>;
}

/**
 * Every call flow of one kind with its child rows, for the whole system or one
 * account. Child rows are read whole (or joined to the account), not with an
 * IN list of every parent id.
 */
export async function scopedCallFlows<T extends CallFlowTable>(db: Database, table: T, accountId: string | undefined) {
  const children = childrenOf(table);
  let parents = db.selectFrom(asHunt(table)).selectAll();
  let childRows = db
    .selectFrom(`${children.table} as c`)
    .innerJoin(`${asHunt(table)} as p`, 'p.id', `c.${children.parent}`)
    .selectAll('c')
    .orderBy(`c.${children.parent}`)
    .orderBy(`c.${children.order}`);
  if (accountId) {
    parents = parents.where('account_id', '=', accountId);
    childRows = childRows.where('p.account_id', '=', accountId);
  }
  const [rows, childList] = await Promise.all([parents.execute(), childRows.execute()]);
  return {
    rows: rows.map(rowsOf<T, (typeof rows)[number]>),
    children: byParent(childList, (c) => c[children.parent]) as unknown as Map<string, ChildRow<T>[]>,
  };
}
