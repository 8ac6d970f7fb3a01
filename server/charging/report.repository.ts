// SQL behind call-cost reports: the calls that started in a period, each with
// what the ledger charged for it and the names a report shows.
import type { Database } from '../db/index.js';
import type { ReportCall } from '../billing/index.js';

export async function reportCalls(
  db: Database,
  accountId: string,
  period: { from: Date; to: Date },
  subaccountId?: string,
): Promise<ReportCall[]> {
  let query = db
    .selectFrom('cdrs')
    .leftJoin('ledger_entries as charge', (join) => join.onRef('charge.call_uuid', '=', 'cdrs.call_uuid').on('charge.kind', '=', 'call_charge'))
    .leftJoin('subaccounts as sub', 'sub.id', 'cdrs.subaccount_id')
    .leftJoin('subaccounts as room', 'room.id', 'cdrs.conference_subaccount_id')
    .select([
      'cdrs.call_uuid',
      'cdrs.subaccount_id',
      'sub.name as subaccount_name',
      'sub.cost_centre',
      'cdrs.conference_subaccount_id',
      'room.name as conference_name',
      'cdrs.direction',
      'cdrs.call_class',
      'cdrs.dialed',
      'cdrs.callee',
      'cdrs.started_at',
      'cdrs.answered_at',
      'cdrs.billable_seconds',
      'charge.amount_minor',
    ])
    .where('cdrs.account_id', '=', accountId)
    .where('cdrs.started_at', '>=', period.from)
    .where('cdrs.started_at', '<', period.to);
  if (subaccountId) query = query.where('cdrs.subaccount_id', '=', subaccountId);
  const rows = await query.orderBy('cdrs.started_at').orderBy('cdrs.call_uuid').execute();
  return rows.map((r) => ({
    callUuid: r.call_uuid,
    subaccountId: r.subaccount_id,
    subaccountName: r.subaccount_name,
    costCentre: r.cost_centre,
    conferenceSubaccountId: r.conference_subaccount_id,
    conferenceName: r.conference_name,
    direction: r.direction,
    callClass: r.call_class,
    dialed: r.dialed,
    callee: r.callee,
    startedAt: r.started_at,
    answered: r.answered_at !== null,
    billableSeconds: r.billable_seconds,
    costMinor: r.amount_minor === null ? 0 : -r.amount_minor,
  }));
}

export async function reportContext(db: Database, accountId: string, userId: string | null) {
  const account = await db
    .selectFrom('accounts')
    .select(['name', 'timezone', 'number_format', 'number_format_countries'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const user = userId ? await db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirst() : undefined;
  const balance = await db.selectFrom('account_balances').select('currency').where('account_id', '=', accountId).executeTakeFirst();
  return { accountName: account.name, timezone: user?.timezone ?? account.timezone, currency: balance?.currency ?? null, account };
}

export async function subaccountName(db: Database, accountId: string, subaccountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('subaccounts').select('name').where('account_id', '=', accountId).where('id', '=', subaccountId).executeTakeFirst();
  return row?.name;
}
