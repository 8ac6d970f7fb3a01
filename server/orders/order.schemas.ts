// Phones the owner buys (seed 002): a catalogue of supported models with
// prices in minor units, and orders that go placed → shipped → delivered (or
// cancelled before shipping). Delivered phones become devices of the account.
import { z } from 'zod';
import { deviceSchemas } from '../accounts/index.js';
import type { PhoneModelRow, PhoneOrderItemRow, PhoneOrderRow, PhoneOrderStatus } from '../db/index.js';
import { pageQuery } from '../paging.js';

const uuid = z.string().uuid('a UUID');
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');
const priceMinor = z.number().int().positive('more than 0').max(100_000_000).describe('minor units of the currency: 18900 is 189.00');

export const phoneModel = z.object({
  id: uuid,
  vendor: deviceSchemas.vendor,
  model: z.string(),
  name: z.string(),
  priceMinor: z.number().int(),
  currency: z.string(),
  available: z.boolean().describe('false: shown, but cannot be ordered'),
});
export type PhoneModel = z.infer<typeof phoneModel>;

export const updatePhoneModel = z
  .object({ name: z.string().trim().min(1, 'required').max(120), priceMinor, currency, available: z.boolean() })
  .partial();
export type UpdatePhoneModel = z.output<typeof updatePhoneModel>;

/** The MACs of an item's phones: each a device MAC, at most one per phone, none twice. */
const macs = z.array(deviceSchemas.mac).max(100).refine((list) => new Set(list).size === list.length, 'each MAC at most once');

export const placeOrder = z.object({
  items: z
    .array(
      z
        .object({
          modelId: uuid,
          quantity: z.number().int().min(1).max(100),
          macs: macs.default([]).describe('known MACs, if any; the rest are entered when shipped'),
        })
        .refine((i) => i.macs.length <= i.quantity, { message: 'more MACs than phones', path: ['macs'] }),
    )
    .min(1, 'at least one item')
    .max(20),
});
export type PlaceOrder = z.output<typeof placeOrder>;

export const ORDER_STATUSES = ['placed', 'shipped', 'delivered', 'cancelled'] as const satisfies readonly PhoneOrderStatus[];
/** Where each status may go next: cancelling is possible only before shipping. */
export const NEXT: Record<PhoneOrderStatus, readonly PhoneOrderStatus[]> = {
  placed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const orderTransition = z.object({
  status: z.enum(['shipped', 'delivered', 'cancelled']),
  items: z
    .array(z.object({ macs }))
    .optional()
    .describe('shipped: the MACs of each item’s phones, in the order of the items (required for phones without one yet)'),
});
export type OrderTransition = z.output<typeof orderTransition>;

export const orderFilter = pageQuery.extend({ status: z.enum(ORDER_STATUSES).optional() });
export type OrderFilter = z.output<typeof orderFilter>;

export const phoneOrder = z.object({
  id: uuid,
  accountId: uuid,
  status: z.enum(ORDER_STATUSES),
  items: z.array(
    z.object({
      modelId: uuid,
      vendor: z.string(),
      model: z.string(),
      unitPriceMinor: z.number().int(),
      quantity: z.number().int(),
      macs: z.array(z.string()),
    }),
  ),
  totalMinor: z.number().int(),
  currency: z.string(),
  placedBy: z.string(),
  handledBy: z.string().nullable(),
  createdAt: z.string(),
  shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});
export type PhoneOrder = z.infer<typeof phoneOrder>;

export function toPhoneModel(row: PhoneModelRow): PhoneModel {
  return {
    id: row.id,
    vendor: deviceSchemas.vendor.parse(row.vendor),
    model: row.model,
    name: row.name,
    priceMinor: Number(row.price_minor),
    currency: row.currency,
    available: row.available,
  };
}

export function toPhoneOrder(row: PhoneOrderRow, items: PhoneOrderItemRow[]): PhoneOrder {
  return {
    id: row.id,
    accountId: row.account_id,
    status: row.status,
    items: items
      .filter((i) => i.order_id === row.id)
      .sort((x, y) => x.position - y.position)
      .map((i) => ({ modelId: i.model_id, vendor: i.vendor, model: i.model, unitPriceMinor: Number(i.unit_price_minor), quantity: i.quantity, macs: i.macs })),
    totalMinor: Number(row.total_minor),
    currency: row.currency,
    placedBy: row.placed_by,
    handledBy: row.handled_by,
    createdAt: row.created_at.toISOString(),
    shippedAt: row.shipped_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
  };
}
