// SQL behind the routing directory: every row routing reads, for the whole
// system or for one account (what the API checks a change against); call
// flows are read by call-flow.repository's scopedCallFlows.
import type { Database } from '../db/index.js';

type Scope = { accountId?: string | undefined };

export function accountRows(db: Database, { accountId }: Scope) {
  let query = db.selectFrom('accounts').select(['id', 'country', 'timezone', 'caller_id_privacy', 'local_prefixes']);
  if (accountId) query = query.where('id', '=', accountId);
  return query.execute();
}

/** Accounts that are suspended or closed: nothing of theirs routes. */
export async function inactiveAccountIds(db: Database): Promise<Set<string>> {
  const rows = await db.selectFrom('accounts').select('id').where('status', '<>', 'active').execute();
  return new Set(rows.map((r) => r.id));
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
    .select((eb) => eb('conference_moderator_pin_enc', 'is not', null).as('has_moderator_pin'))
    // the plan that rates the subaccount's calls: its own, else the account's default
    .select((eb) =>
      eb
        .selectFrom('charging_plans')
        .select('definition')
        .where((p) =>
          p.or([
            p('charging_plans.id', '=', p.ref('subaccounts.charging_plan_id')),
            p.and([p('charging_plans.account_id', '=', p.ref('subaccounts.account_id')), p('charging_plans.is_default', '=', true)]),
          ]),
        )
        .orderBy('charging_plans.is_default')
        .limit(1)
        .as('charging_plan'),
    );
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
