// SQL behind the routing directory: every row routing reads, for the whole
// system or for one account (what the API checks a change against).
import type { Database } from '../db/index.js';
import { byParent } from './child-rows.js';

type Scope = { accountId?: string | undefined };

export function accountRows(db: Database, { accountId }: Scope) {
  let query = db.selectFrom('accounts').select(['id', 'country', 'timezone', 'caller_id_privacy', 'local_prefixes']);
  if (accountId) query = query.where('id', '=', accountId);
  return query.execute();
}

export function subaccountRows(db: Database, { accountId }: Scope) {
  let query = db
    .selectFrom('subaccounts')
    .select([
      'id',
      'account_id',
      'kind',
      'name',
      'extension',
      'network_number',
      'caller_id_name',
      'caller_id_number',
      'conference_max_participants',
    ])
    .select((eb) => eb('conference_moderator_pin_enc', 'is not', null).as('has_moderator_pin'));
  if (accountId) query = query.where('account_id', '=', accountId);
  return query.execute();
}

/** DIDs in creation order: the first one routed to a subaccount is its caller ID (routing's primaryNumberOf). */
export function numberRows(db: Database, { accountId }: Scope) {
  let query = db
    .selectFrom('phone_numbers')
    .select(['e164', 'account_id', 'destination_kind', 'destination_id', 'destination_e164']);
  if (accountId) query = query.where('account_id', '=', accountId);
  return query.orderBy('created_at').orderBy('e164').execute();
}

// Child rows are read whole (or joined to the account), not with an IN list of every parent id.

export async function huntGroupRows(db: Database, { accountId }: Scope) {
  let groups = db.selectFrom('hunt_groups').selectAll();
  let members = db
    .selectFrom('hunt_group_members as m')
    .innerJoin('hunt_groups as g', 'g.id', 'm.hunt_group_id')
    .selectAll('m')
    .orderBy('m.hunt_group_id')
    .orderBy('m.position');
  if (accountId) {
    groups = groups.where('account_id', '=', accountId);
    members = members.where('g.account_id', '=', accountId);
  }
  const [rows, memberRows] = await Promise.all([groups.execute(), members.execute()]);
  return { rows, members: byParent(memberRows, (m) => m.hunt_group_id) };
}

export async function ivrMenuRows(db: Database, { accountId }: Scope) {
  let menus = db.selectFrom('ivr_menus').selectAll();
  let options = db
    .selectFrom('ivr_menu_options as o')
    .innerJoin('ivr_menus as m', 'm.id', 'o.ivr_menu_id')
    .selectAll('o')
    .orderBy('o.ivr_menu_id')
    .orderBy('o.digit');
  if (accountId) {
    menus = menus.where('account_id', '=', accountId);
    options = options.where('m.account_id', '=', accountId);
  }
  const [rows, optionRows] = await Promise.all([menus.execute(), options.execute()]);
  return { rows, options: byParent(optionRows, (o) => o.ivr_menu_id) };
}

export async function scheduleRows(db: Database, { accountId }: Scope) {
  let schedules = db.selectFrom('schedules').selectAll();
  let ranges = db
    .selectFrom('schedule_ranges as r')
    .innerJoin('schedules as s', 's.id', 'r.schedule_id')
    .selectAll('r')
    .orderBy('r.schedule_id')
    .orderBy('r.position');
  if (accountId) {
    schedules = schedules.where('account_id', '=', accountId);
    ranges = ranges.where('s.account_id', '=', accountId);
  }
  const [rows, rangeRows] = await Promise.all([schedules.execute(), ranges.execute()]);
  return { rows, ranges: byParent(rangeRows, (r) => r.schedule_id) };
}
