// SQL for what still routes to an entity — numbers, hunt groups (fallback,
// member), IVR menus (key, fallback), schedules (open, closed branch) — and
// for the extensions hunt groups hold beside subaccounts'.
import type { Database, DestinationKindColumn } from '../db/index.js';

/**
 * Descriptions of everything in the account that routes to `id` through a
 * destination of one of `kinds` (`number +442079460100`, `IVR menu Main (key 1)`).
 * An entity pointing at itself (a menu whose key replays it) does not count.
 */
export async function referencesTo(db: Database, accountId: string, kinds: DestinationKindColumn[], id: string): Promise<string[]> {
  const [numbers, huntFallbacks, members, options, menuFallbacks, opens, closes] = await Promise.all([
    db.selectFrom('phone_numbers').select('e164').where('account_id', '=', accountId)
      .where('destination_kind', 'in', kinds).where('destination_id', '=', id).orderBy('e164').execute(),
    db.selectFrom('hunt_groups').select('name').where('account_id', '=', accountId)
      .where('fallback_kind', 'in', kinds).where('fallback_id', '=', id).where('id', '<>', id).orderBy('name').execute(),
    db.selectFrom('hunt_group_members as m').innerJoin('hunt_groups as g', 'g.id', 'm.hunt_group_id').select('g.name')
      .where('g.account_id', '=', accountId).where('m.subaccount_id', '=', id).distinct().orderBy('g.name').execute(),
    db.selectFrom('ivr_menu_options as o').innerJoin('ivr_menus as m', 'm.id', 'o.ivr_menu_id').select(['m.name', 'o.digit'])
      .where('m.account_id', '=', accountId).where('o.destination_kind', 'in', kinds).where('o.destination_id', '=', id)
      .where('m.id', '<>', id).orderBy('m.name').orderBy('o.digit').execute(),
    db.selectFrom('ivr_menus').select('name').where('account_id', '=', accountId)
      .where('fallback_kind', 'in', kinds).where('fallback_id', '=', id).where('id', '<>', id).orderBy('name').execute(),
    db.selectFrom('schedules').select('name').where('account_id', '=', accountId)
      .where('open_kind', 'in', kinds).where('open_id', '=', id).where('id', '<>', id).orderBy('name').execute(),
    db.selectFrom('schedules').select('name').where('account_id', '=', accountId)
      .where('closed_kind', 'in', kinds).where('closed_id', '=', id).where('id', '<>', id).orderBy('name').execute(),
  ]);
  return describe({ numbers, members, huntFallbacks, options, menuFallbacks, opens, closes });
}

/** Descriptions of everything in the account that forwards to the number `e164` (destinations of kind `number`, external hunt members). */
export async function referencesToNumber(db: Database, accountId: string, e164: string): Promise<string[]> {
  const [numbers, members, huntFallbacks, options, menuFallbacks, opens, closes] = await Promise.all([
    db.selectFrom('phone_numbers').select('e164').where('account_id', '=', accountId)
      .where('destination_kind', '=', 'number').where('destination_e164', '=', e164).orderBy('e164').execute(),
    db.selectFrom('hunt_group_members as m').innerJoin('hunt_groups as g', 'g.id', 'm.hunt_group_id').select('g.name')
      .where('g.account_id', '=', accountId).where('m.e164', '=', e164).distinct().orderBy('g.name').execute(),
    db.selectFrom('hunt_groups').select('name').where('account_id', '=', accountId)
      .where('fallback_kind', '=', 'number').where('fallback_e164', '=', e164).orderBy('name').execute(),
    db.selectFrom('ivr_menu_options as o').innerJoin('ivr_menus as m', 'm.id', 'o.ivr_menu_id').select(['m.name', 'o.digit'])
      .where('m.account_id', '=', accountId).where('o.destination_kind', '=', 'number').where('o.destination_e164', '=', e164)
      .orderBy('m.name').orderBy('o.digit').execute(),
    db.selectFrom('ivr_menus').select('name').where('account_id', '=', accountId)
      .where('fallback_kind', '=', 'number').where('fallback_e164', '=', e164).orderBy('name').execute(),
    db.selectFrom('schedules').select('name').where('account_id', '=', accountId)
      .where('open_kind', '=', 'number').where('open_e164', '=', e164).orderBy('name').execute(),
    db.selectFrom('schedules').select('name').where('account_id', '=', accountId)
      .where('closed_kind', '=', 'number').where('closed_e164', '=', e164).orderBy('name').execute(),
  ]);
  return describe({ numbers, members, huntFallbacks, options, menuFallbacks, opens, closes });
}

type Named = { name: string }[];

/** What each kind of reference reads as, in the order they are listed. */
function describe(r: { numbers: { e164: string }[]; members: Named; huntFallbacks: Named; options: { name: string; digit: string }[]; menuFallbacks: Named; opens: Named; closes: Named }): string[] {
  return [
    ...r.numbers.map((n) => `number ${n.e164}`),
    ...r.members.map((g) => `hunt group ${g.name} (member)`),
    ...r.huntFallbacks.map((g) => `hunt group ${g.name} (fallback)`),
    ...r.options.map((o) => `IVR menu ${o.name} (key ${o.digit})`),
    ...r.menuFallbacks.map((m) => `IVR menu ${m.name} (fallback)`),
    ...r.opens.map((s) => `schedule ${s.name} (open)`),
    ...r.closes.map((s) => `schedule ${s.name} (closed)`),
  ];
}

/** Hunt-group extensions of the account, with the group holding each. */
export async function huntGroupExtensions(db: Database, accountId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('hunt_groups')
    .select(['extension', 'name'])
    .where('account_id', '=', accountId)
    .where('extension', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.extension ?? '', `hunt group ${r.name}`]));
}
