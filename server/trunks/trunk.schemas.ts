// Carrier trunks as the API shows them: the password is write-only.
import { isIP } from 'node:net';
import { z } from 'zod';
import type { CarrierTrunkRow } from '../db/index.js';
import { label, uuid } from '../accounts/fields.js';

const cidr = z
  .string()
  .trim()
  .refine((v) => {
    const [address, bits] = v.split('/');
    if (!address || isIP(address) === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return Number.isInteger(n) && n >= 0 && n <= (isIP(address) === 6 ? 128 : 32);
  }, 'an IP address or CIDR block such as 198.51.100.0/24');

const host = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9a-fA-F:]+\]$/, 'a host name or IP address');

export const trunk = z.object({
  id: uuid,
  accountId: uuid.nullable().describe('null: shared by every account (operator trunk)'),
  name: z.string(),
  inboundAddresses: z.array(z.string()),
  outbound: z.object({ host: z.string(), port: z.number().int(), transport: z.enum(['udp', 'tcp', 'tls']), username: z.string().nullable() }).nullable(),
  register: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Trunk = z.infer<typeof trunk>;

const outbound = z.object({
  host,
  port: z.number().int().min(1).max(65535).default(5060),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  username: z.string().trim().min(1).max(128).optional(),
  password: z.string().min(1).max(128).optional().describe('write-only: kept encrypted, never shown'),
});

export const createTrunk = z.object({
  name: label.min(1, 'required'),
  accountId: uuid.nullable().default(null),
  inboundAddresses: z.array(cidr).max(64).default([]),
  outbound: outbound.nullable().default(null),
  register: z.boolean().default(false).describe('REGISTER to the carrier with the outbound credentials'),
  enabled: z.boolean().default(true),
});
export type CreateTrunk = z.output<typeof createTrunk>;

export const updateTrunk = createTrunk.omit({ accountId: true }).partial();
export type UpdateTrunk = z.output<typeof updateTrunk>;

export function toTrunk(row: CarrierTrunkRow): Trunk {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    inboundAddresses: row.inbound_addresses,
    outbound: row.outbound_host
      ? { host: row.outbound_host, port: row.outbound_port, transport: row.outbound_transport, username: row.username }
      : null,
    register: row.register,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
