// SQL for IVR menus and their options (one row per key with a destination).
import { destinationColumns } from '../accounts/index.js';
import type { Database, IvrMenuOptionRow, IvrMenuRow } from '../db/index.js';
import type { Destination, IvrMenu } from '../routing/index.js';
import { byParent } from './child-rows.js';
import type { IvrMenuFilter } from './ivr-menu.schemas.js';

function columns(menu: IvrMenu) {
  const fallback = destinationColumns(menu.fallback);
  return {
    name: menu.name,
    greeting: menu.greeting,
    invalid_prompt: menu.invalidPrompt,
    timeout_prompt: menu.timeoutPrompt,
    timeout_seconds: menu.timeoutSeconds,
    max_retries: menu.maxRetries,
    allow_extension_dialing: menu.allowExtensionDialing,
    fallback_kind: fallback.kind,
    fallback_id: fallback.id,
    fallback_e164: fallback.e164,
  };
}

export function insertIvrMenu(db: Database, menu: IvrMenu): Promise<IvrMenuRow> {
  return db
    .insertInto('ivr_menus')
    .values({ id: menu.id, account_id: menu.accountId, ...columns(menu) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateIvrMenuRow(db: Database, menu: IvrMenu): Promise<IvrMenuRow> {
  return db
    .updateTable('ivr_menus')
    .set({ ...columns(menu), updated_at: new Date() })
    .where('id', '=', menu.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function ivrMenuById(db: Database, accountId: string, id: string): Promise<IvrMenuRow | undefined> {
  return db.selectFrom('ivr_menus').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function deleteIvrMenuRow(db: Database, id: string): Promise<void> {
  await db.deleteFrom('ivr_menus').where('id', '=', id).execute();
}

export async function replaceOptions(db: Database, menu: IvrMenu): Promise<void> {
  await db.deleteFrom('ivr_menu_options').where('ivr_menu_id', '=', menu.id).execute();
  const options = Object.entries(menu.options).filter((o): o is [string, Destination] => o[1] !== undefined);
  if (options.length === 0) return;
  await db
    .insertInto('ivr_menu_options')
    .values(
      options.map(([digit, destination]) => {
        const d = destinationColumns(destination);
        return { ivr_menu_id: menu.id, digit, destination_kind: d.kind ?? 'number', destination_id: d.id, destination_e164: d.e164 };
      }),
    )
    .execute();
}

/** Options of the given menus, by menu id. */
export async function optionsOf(db: Database, ids: readonly string[]): Promise<Map<string, IvrMenuOptionRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('ivr_menu_options').selectAll().where('ivr_menu_id', 'in', ids).orderBy('digit').execute();
  return byParent(rows, (r) => r.ivr_menu_id);
}

export async function listIvrMenus(db: Database, accountId: string, filter: IvrMenuFilter) {
  let query = db.selectFrom('ivr_menus').where('account_id', '=', accountId);
  if (filter.q) query = query.where('name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
