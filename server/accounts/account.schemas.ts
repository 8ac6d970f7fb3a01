// Accounts: the tenancy tree operator → reseller → account (seed 003's settings grow here).
import { z } from 'zod';
import type { AccountRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { routingSchemas } from '../routing/index.js';
import { country, e164Like, email, label, realm, timezone, uuid, webPassword } from './fields.js';
import { type NumberFormat, numberFormatSchema } from './number-format.js';

/** A technical or billing contact (seed 003); the phone is stored in E.164. */
export const contact = z
  .object({
    name: label.min(1, 'required'),
    email: email.nullable().default(null),
    phone: e164Like.nullable().default(null).describe('E.164, or national in the account’s country'),
  })
  .strict();
export type ContactInput = z.output<typeof contact>;

const trunkLimit = z.number().int().min(0).max(100_000).nullable().describe('concurrent calls; null: unlimited');
export const trunkLimits = z
  .object({ inbound: trunkLimit, outbound: trunkLimit, twoWay: trunkLimit.describe('calls either way, on top of the one-way trunks') })
  .strict();

export const numberFormat = numberFormatSchema(country);

export const accountKind = z.enum(['operator', 'reseller', 'account']);

export const account = z.object({
  id: uuid.describe('read-only identifier, quote it in support tickets'),
  parentId: uuid.nullable(),
  kind: accountKind,
  name: z.string(),
  realm: z.string().describe('the SIP domain of the account'),
  timezone: z.string(),
  country: z.string(),
  status: z.enum(['active', 'suspended', 'closed']),
  closesAt: z.string().nullable().describe('set by a completed cancellation request: the account closes then (end of its period)'),
  callerIdPrivacy: routingSchemas.callerIdPrivacy.describe('what calls leaving the account show: none hidden, the name, the number, or both (seed 003)'),
  localPrefixes: z.array(z.string()).describe('E.164 prefixes that are local calls (+4420: London); other same-country fixed lines are national'),
  technicalContact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  billingContact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  numberFormat: z.object({ style: z.string(), nationalFor: z.array(z.string()) }).describe('how phone numbers are shown (the `display` of numbers)'),
  trunkLimits: z.object({ inbound: z.number().int().nullable(), outbound: z.number().int().nullable(), twoWay: z.number().int().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Account = z.infer<typeof account>;

export const createAccount = z.object({
  name: label.min(1, 'required'),
  kind: z.enum(['reseller', 'account']).default('account'),
  parentId: uuid.optional().describe('defaults to the caller’s own account'),
  realm: realm.optional().describe('generated when absent'),
  timezone: timezone.optional(),
  country: country.optional(),
  owner: z
    .object({
      email,
      name: label.default(''),
      password: webPassword.optional().describe('generated and returned once when absent'),
    })
    .optional()
    .describe('the first web login: role owner for an account, reseller for a reseller'),
});
export type CreateAccount = z.output<typeof createAccount>;

export const updateAccount = z
  .object({
    name: label.min(1, 'required'),
    realm,
    confirmRealmChange: z.literal(true).describe('required with realm: devices and registrations depend on it'),
    timezone,
    country,
    status: z.enum(['active', 'suspended']),
    callerIdPrivacy: routingSchemas.callerIdPrivacy,
    localPrefixes: z
      .array(z.string().regex(/^\+[1-9][0-9]{0,13}$/, 'an E.164 prefix such as +4420'))
      .max(50, 'at most 50 prefixes'),
    technicalContact: contact.nullable(),
    billingContact: contact.nullable(),
    numberFormat,
    trunkLimits: trunkLimits.describe('staff only: the trunks the account pays for'),
  })
  .partial();
export type UpdateAccount = z.output<typeof updateAccount>;

export const accountFilter = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('part of the name or realm'),
  kind: accountKind.optional(),
  parentId: uuid.optional(),
});
export type AccountFilter = z.output<typeof accountFilter>;

export const createdAccount = account.extend({
  owner: z.object({ id: uuid, email: z.string(), password: z.string().optional() }).optional(),
});

export const realmChange = account.extend({
  warnings: z.array(z.string()),
});

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    realm: row.realm,
    timezone: row.timezone,
    country: row.country,
    status: row.status,
    closesAt: row.closes_at?.toISOString() ?? null,
    callerIdPrivacy: row.caller_id_privacy,
    localPrefixes: row.local_prefixes,
    technicalContact: row.technical_contact ?? null,
    billingContact: row.billing_contact ?? null,
    numberFormat: numberFormatOf(row),
    trunkLimits: { inbound: row.trunks_inbound, outbound: row.trunks_outbound, twoWay: row.trunks_twoway },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function numberFormatOf(row: Pick<AccountRow, 'number_format' | 'number_format_countries'>): NumberFormat {
  return { style: row.number_format, nationalFor: row.number_format_countries };
}
