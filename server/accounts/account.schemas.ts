// Accounts: the tenancy tree operator → reseller → account (seed 003's settings grow here).
import { z } from 'zod';
import type { AccountRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { routingSchemas } from '../routing/index.js';
import { country, email, label, realm, timezone, uuid, webPassword } from './fields.js';

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
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
