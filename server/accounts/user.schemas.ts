// Web logins: operator and reseller staff, and owner / admin / user of an account.
import { z } from 'zod';
import type { UserRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { email, label, timezone, uuid, webPassword } from './fields.js';

export const role = z.enum(['operator', 'reseller', 'owner', 'admin', 'user']);

export const user = z.object({
  id: uuid,
  accountId: uuid,
  email: z.string(),
  name: z.string(),
  role,
  subaccountId: uuid.nullable(),
  timezone: z.string().nullable().describe('overrides the account timezone where times are shown'),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof user>;

export const createUser = z.object({
  email,
  name: label.default(''),
  role,
  password: webPassword.optional().describe('generated and returned once when absent'),
  subaccountId: uuid.nullable().optional(),
  timezone: timezone.nullable().optional(),
});
export type CreateUser = z.output<typeof createUser>;

export const updateUser = z
  .object({
    name: label,
    role,
    subaccountId: uuid.nullable(),
    timezone: timezone.nullable(),
    disabled: z.boolean(),
    password: webPassword,
    currentPassword: z.string().max(200).describe('required when changing your own password'),
  })
  .partial();
export type UpdateUser = z.output<typeof updateUser>;

export const userFilter = pageQuery.extend({
  role: role.optional(),
  q: z.string().trim().max(100).optional().describe('part of the email or name'),
});
export type UserFilter = z.output<typeof userFilter>;

export const createdUser = user.extend({ password: z.string().optional() });

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    subaccountId: row.subaccount_id,
    timezone: row.timezone,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
