// Price lists, subscription items and seat changes as the API shows them.
import { z } from 'zod';
import type { LedgerEntryRow, PriceListRow, SubscriptionItemRow } from '../db/index.js';

const minor = z.number().int().min(0).max(100_000_000, 'at most 100,000,000 minor units');
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

export const priceListInput = z.object({
  currency,
  seatPriceMinor: minor.describe('price of one billed user (seat) per month, minor units'),
});
export type PriceListInput = z.output<typeof priceListInput>;

export const priceList = priceListInput.extend({
  /** the account the price list is set on; null: the configured default */
  setOn: z.string().nullable(),
});
export type PriceList = z.infer<typeof priceList>;

export const subscriptionItem = z.object({
  id: z.string(),
  kind: z.enum(['seat', 'number']),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  currency: z.string(),
  e164: z.string().nullable(),
  phoneNumberId: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type SubscriptionItem = z.infer<typeof subscriptionItem>;

export const postedEntry = z.object({
  id: z.number().int(),
  kind: z.string(),
  amountMinor: z.number().int().describe('as posted to the ledger: < 0 a charge, > 0 a credit'),
  currency: z.string(),
  memo: z.string(),
  createdAt: z.string(),
});
export type PostedEntry = z.infer<typeof postedEntry>;

export const subscription = z.object({
  accountId: z.string(),
  priceList,
  seats: z.number().int().describe('billed users now'),
  subaccounts: z.number().int().describe('subaccounts now: seats cannot be lowered below this'),
  items: z.array(subscriptionItem).describe('open items, and items ended in the current period'),
});
export type Subscription = z.infer<typeof subscription>;

export const seatChange = z.object({
  quantity: z.number().int().min(0).max(100_000).describe('billed users (seats) from now on'),
});

export const seatChanged = z.object({
  subscription,
  proration: postedEntry.nullable().describe('the prorated charge (raise) or credit (lower); null when nothing changed in value'),
});
export type SeatChanged = z.infer<typeof seatChanged>;

export function toSubscriptionItem(row: SubscriptionItemRow): SubscriptionItem {
  return {
    id: row.id,
    kind: row.kind,
    quantity: row.quantity,
    unitPriceMinor: row.unit_price_minor,
    currency: row.currency,
    e164: row.e164,
    phoneNumberId: row.phone_number_id,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
  };
}

export function toPriceList(row: PriceListRow | undefined, fallback: PriceListInput): PriceList {
  return row ? { currency: row.currency, seatPriceMinor: row.seat_price_minor, setOn: row.account_id } : { ...fallback, setOn: null };
}

export function toPostedEntry(row: LedgerEntryRow): PostedEntry {
  return {
    id: row.id,
    kind: row.kind,
    amountMinor: row.amount_minor,
    currency: row.currency,
    memo: row.memo,
    createdAt: row.created_at.toISOString(),
  };
}
