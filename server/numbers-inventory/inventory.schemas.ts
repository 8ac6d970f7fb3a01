// The number inventory as the API shows it: stock loaded by the operator,
// available numbers searched by area code, a purchase.
import { z } from 'zod';
import { numberSchemas } from '../accounts/index.js';
import type { NumberInventoryRow } from '../db/index.js';
import { pageQuery } from '../paging.js';

const minor = z.number().int().min(0).max(100_000_000, 'at most 100,000,000 minor units');

export const stockNumber = z.object({
  e164: z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'E.164: + then up to 15 digits, e.g. +14155550123'),
  areaCode: z
    .string()
    .regex(/^[0-9]{1,6}$/, '1 to 6 digits')
    .optional()
    .describe('default: the 3 digits after +1 for North American numbers; required for others'),
  monthlyFeeMinor: minor.describe('monthly fee, minor units of the buying account’s price-list currency'),
  setupFeeMinor: minor.default(0),
});

export const loadStock = z.object({ numbers: z.array(stockNumber).min(1).max(10_000) });
export type LoadStock = z.output<typeof loadStock>;

export const stockLoaded = z.object({
  added: z.array(z.string()),
  skipped: z.array(z.string()).describe('already in the inventory: left unchanged'),
});

export const availableFilter = pageQuery.extend({
  areaCode: z.string().regex(/^[0-9]{1,6}$/, '1 to 6 digits').optional(),
});
export type AvailableFilter = z.output<typeof availableFilter>;

export const availableNumber = z.object({
  e164: z.string(),
  areaCode: z.string(),
  monthlyFeeMinor: z.number().int(),
  setupFeeMinor: z.number().int(),
  currency: z.string(),
});
export type AvailableNumber = z.infer<typeof availableNumber>;

export const purchase = z.object({
  number: z.string().trim().min(2).max(32).describe('an available number in E.164 (+14155550123)'),
});

export const purchased = z.object({
  number: numberSchemas.phoneNumber,
  charges: z.array(
    z.object({ kind: z.string(), amountMinor: z.number().int().describe('as posted: < 0 a charge'), currency: z.string(), memo: z.string() }),
  ),
});
export type Purchased = z.infer<typeof purchased>;

export function toAvailableNumber(row: NumberInventoryRow, currency: string): AvailableNumber {
  return { e164: row.e164, areaCode: row.area_code, monthlyFeeMinor: row.monthly_fee_minor, setupFeeMinor: row.setup_fee_minor, currency };
}
