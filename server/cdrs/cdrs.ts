// Call detail records as the API shows them: the account's shared call list
// (seed 000), filtered by subaccount, direction and time; a `user` sees only
// the calls of its own subaccount.
import { z } from 'zod';
import { type Caller, type NumberFormat, accountSchemas, displayDialed, reachAccount } from '../accounts/index.js';
import type { Database } from '../db/index.js';
import type { CdrTable } from '../db/schema.js';
import { pageQuery, pageSchema } from '../paging.js';

export const cdr = z.object({
  callUuid: z.string(),
  subaccountId: z.string().nullable(),
  direction: z.enum(['outgoing', 'incoming']),
  callClass: z.string(),
  callerName: z.string(),
  callerNumber: z.string(),
  dialed: z.string(),
  callee: z.string(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string(),
  billableSeconds: z.number().int(),
  hangupCause: z.string(),
  huntGroupId: z.string().nullable(),
  ivrMenuId: z.string().nullable(),
  conferenceSubaccountId: z.string().nullable(),
  trunkId: z.string().nullable(),
  did: z.string().nullable(),
  chargeMinor: z.number().int().describe('what the ledger charged for the call (0: free or not charged)'),
  display: z
    .object({ callerNumber: z.string(), dialed: z.string(), callee: z.string(), did: z.string().nullable() })
    .describe('the numbers as the account shows them (its phone number display format, seed 003)'),
});
export type Cdr = z.infer<typeof cdr>;
export const cdrPage = pageSchema(cdr);

export const cdrFilter = pageQuery.extend({
  subaccountId: z.string().uuid('a UUID').optional().describe('calls made by, or answered as, this subaccount'),
  direction: z.enum(['outgoing', 'incoming']).optional(),
  from: z.string().datetime({ offset: true, message: 'an ISO 8601 time' }).optional().describe('calls started at or after'),
  to: z.string().datetime({ offset: true, message: 'an ISO 8601 time' }).optional().describe('calls started before'),
});
export type CdrFilter = z.output<typeof cdrFilter>;

type Row = Omit<CdrTable, 'recorded_at'> & { recorded_at: Date; charge_minor: number | null };

function toCdr(r: Row, format: NumberFormat): Cdr {
  return {
    callUuid: r.call_uuid,
    subaccountId: r.subaccount_id,
    direction: r.direction,
    callClass: r.call_class,
    callerName: r.caller_name,
    callerNumber: r.caller_number,
    dialed: r.dialed,
    callee: r.callee,
    startedAt: r.started_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    endedAt: r.ended_at.toISOString(),
    billableSeconds: r.billable_seconds,
    hangupCause: r.hangup_cause,
    huntGroupId: r.hunt_group_id,
    ivrMenuId: r.ivr_menu_id,
    conferenceSubaccountId: r.conference_subaccount_id,
    trunkId: r.trunk_id,
    did: r.did,
    chargeMinor: r.charge_minor === null ? 0 : -r.charge_minor,
    display: {
      callerNumber: displayDialed(r.caller_number, format),
      dialed: displayDialed(r.dialed, format),
      callee: displayDialed(r.callee, format),
      did: r.did === null ? null : displayDialed(r.did, format),
    },
  };
}

export class Cdrs {
  constructor(private readonly deps: { db: Database }) {}

  async list(caller: Caller, accountId: string, filter: CdrFilter) {
    const account = await reachAccount(this.deps.db, caller, accountId, 'read');
    const own = caller.role === 'user' ? (caller.subaccountId ?? '00000000-0000-0000-0000-000000000000') : undefined;
    let query = this.deps.db.selectFrom('cdrs').where('account_id', '=', accountId);
    const subaccount = own ?? filter.subaccountId;
    if (subaccount) query = query.where((eb) => eb.or([eb('subaccount_id', '=', subaccount), eb('conference_subaccount_id', '=', subaccount)]));
    if (filter.direction) query = query.where('direction', '=', filter.direction);
    if (filter.from) query = query.where('started_at', '>=', new Date(filter.from));
    if (filter.to) query = query.where('started_at', '<', new Date(filter.to));
    const [rows, count] = await Promise.all([
      query
        .selectAll('cdrs')
        // the call's charge, from the ledger (one call_charge per call uuid)
        .select((eb) =>
          eb.selectFrom('ledger_entries').select('amount_minor').whereRef('ledger_entries.call_uuid', '=', 'cdrs.call_uuid').limit(1).as('charge_minor'),
        )
        .orderBy('started_at', 'desc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const format = accountSchemas.numberFormatOf(account);
    return { items: rows.map((r) => toCdr(r, format)), total: Number(count.n), limit: filter.limit, offset: filter.offset };
  }
}
