// What the charging API accepts and shows: charging plans, the plan of a
// subaccount, balances and ledger entries, rate decks, call authorizations.
import { z } from 'zod';
import { LEDGER_ENTRY_KINDS, chargingPlan } from '../billing/index.js';
import type { ChargingPlanRow, LedgerEntryRow } from '../db/index.js';
import { pageQuery, pageSchema } from '../paging.js';

const uuid = z.string().uuid('a UUID');

export const planInput = chargingPlan.safeExtend({
  isDefault: z.boolean().default(false).describe('rates calls no subaccount pays for, and subaccounts without a plan'),
});
export type PlanInput = z.output<typeof planInput>;

export const planView = z.object({
  id: uuid,
  accountId: uuid,
  isDefault: z.boolean(),
  plan: z.record(z.string(), z.unknown()).describe('the charging plan as given (see the create body)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlanView = z.infer<typeof planView>;

export function toPlanView(row: ChargingPlanRow): PlanView {
  return {
    id: row.id,
    accountId: row.account_id,
    isDefault: row.is_default,
    plan: chargingPlan.parse(row.definition),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const planParams = z.object({ accountId: uuid, planId: uuid });
export const subaccountParams = z.object({ accountId: uuid, subaccountId: uuid });

export const planAssignment = z.object({
  chargingPlanId: uuid.nullable().describe('null: the account’s default plan rates this subaccount’s calls'),
});
export const assignedPlan = z.object({
  subaccountId: uuid,
  chargingPlanId: uuid.nullable(),
  initialCreditMinor: z.number().int().describe('credit posted by this assignment (0 when given before or postpaid)'),
});

export const creditLimit = z.object({
  limitMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().describe('null: no limit beyond the shared balance'),
});

export const balanceView = z.object({
  accountId: uuid,
  currency: z.string().nullable(),
  balanceMinor: z.number().int(),
  heldMinor: z.number().int().describe('reserved by calls in progress'),
  availableMinor: z.number().int(),
});

export const ledgerEntryView = z.object({
  id: z.number().int(),
  subaccountId: uuid.nullable(),
  kind: z.enum(LEDGER_ENTRY_KINDS),
  amountMinor: z.number().int(),
  currency: z.string(),
  callUuid: uuid.nullable(),
  memo: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export const ledgerPage = pageSchema(ledgerEntryView);

export function toLedgerEntry(row: LedgerEntryRow): z.infer<typeof ledgerEntryView> {
  return {
    id: row.id,
    subaccountId: row.subaccount_id,
    kind: row.kind,
    amountMinor: row.amount_minor,
    currency: row.currency,
    callUuid: row.call_uuid,
    memo: row.memo,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

export const ledgerFilter = pageQuery.extend({
  subaccountId: uuid.optional(),
  kind: z.enum(LEDGER_ENTRY_KINDS).optional(),
});
export type LedgerFilter = z.output<typeof ledgerFilter>;

/** What staff may post by hand: money in, money back, or a correction either way. */
export const staffEntry = z.object({
  kind: z.enum(['topup', 'refund', 'adjustment']),
  amountMinor: z.number().int().refine((n) => n !== 0 && Number.isSafeInteger(n), 'a non-zero whole number of minor units'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  subaccountId: uuid.nullable().default(null),
  memo: z.string().max(500, 'at most 500 characters').default(''),
});
export type StaffEntry = z.output<typeof staffEntry>;
