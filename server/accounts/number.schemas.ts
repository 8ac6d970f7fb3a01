// Phone numbers (DIDs) in E.164, owned by an account, routed to a destination.
import { z } from 'zod';
import type { PhoneNumberRow } from '../db/index.js';
import { type Destination, routingSchemas } from '../routing/index.js';
import { pageQuery } from '../paging.js';
import { destinationFrom } from './destinations.js';
import { e164Like, label, uuid } from './fields.js';
import { INTERNATIONAL, type NumberFormat, displayNumber } from './number-format.js';

/** Where a number rings: a subaccount, hunt group, IVR menu, conference or schedule of the account, or a forward to any number. */
export const destination = routingSchemas.destination;
export type { Destination };

export const phoneNumber = z.object({
  id: uuid,
  accountId: uuid,
  e164: z.string(),
  display: z.string().describe('the number in the account’s number format'),
  label: z.string(),
  destination: destination.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PhoneNumber = z.infer<typeof phoneNumber>;

export const createNumber = z.object({
  number: e164Like.describe('E.164 (+14155550100) or national in the account’s country'),
  label: label.default(''),
  destination: destination.nullable().default(null),
});
export type CreateNumber = z.output<typeof createNumber>;

export const updateNumber = z.object({ label, destination: destination.nullable() }).partial();
export type UpdateNumber = z.output<typeof updateNumber>;

export const numberFilter = pageQuery.extend({
  q: z.string().trim().max(20).optional().describe('digits the number contains'),
  subaccountId: uuid.optional().describe('numbers that ring this subaccount (or conference) directly'),
});
export type NumberFilter = z.output<typeof numberFilter>;

export function toPhoneNumber(row: PhoneNumberRow, format: NumberFormat = INTERNATIONAL): PhoneNumber {
  return {
    id: row.id,
    accountId: row.account_id,
    e164: row.e164,
    display: displayNumber(row.e164, format),
    label: row.label,
    destination: destinationFrom(row.destination_kind, row.destination_id, row.destination_e164),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
