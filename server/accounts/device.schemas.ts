// Devices (IP phones, ATAs) by MAC, with lines → subaccounts and a ring flag
// per line (seed 000: several devices on one subaccount, only flagged ones ring).
import { z } from 'zod';
import type { DeviceLineRow, DeviceRow } from '../db/index.js';
import { pageQuery } from '../paging.js';
import { label, uuid } from './fields.js';

export const VENDORS = ['yealink', 'polycom', 'grandstream', 'cisco', 'obihai', 'snom', 'fanvil', 'generic'] as const;
export const vendor = z.enum(VENDORS);

/** A MAC in any common notation, as 12 lowercase hex digits; multicast and all-zero MACs are refused. */
export const mac = z
  .string()
  .trim()
  .transform((v) => v.toLowerCase().replace(/[\s:.-]/g, ''))
  .pipe(
    z
      .string()
      .regex(/^[0-9a-f]{12}$/, '12 hex digits, e.g. 00:15:65:aa:bb:cc')
      .refine((v) => v !== '000000000000' && (parseInt(v.slice(0, 2), 16) & 1) === 0, 'a unicast device MAC'),
  );

export const line = z.object({
  lineNo: z.number().int().min(1).max(64),
  subaccountId: uuid,
  ring: z.boolean().default(true).describe('false: this device does not ring for incoming calls'),
});
export type Line = z.output<typeof line>;

const lines = z
  .array(line)
  .max(64)
  .refine((ls) => new Set(ls.map((l) => l.lineNo)).size === ls.length, 'each lineNo at most once');

export const device = z.object({
  id: uuid,
  accountId: uuid,
  mac: z.string(),
  vendor,
  model: z.string(),
  label: z.string(),
  lines: z.array(line),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Device = z.infer<typeof device>;

export const createDevice = z.object({
  mac,
  vendor,
  model: z.string().trim().min(1, 'required').max(40),
  label: label.default(''),
  lines: lines.default([]),
});
export type CreateDevice = z.output<typeof createDevice>;

export const updateDevice = z
  .object({ vendor, model: z.string().trim().min(1, 'required').max(40), label, mac })
  .partial();
export type UpdateDevice = z.output<typeof updateDevice>;

export const replaceLines = z.object({ lines });
export const updateLine = z.object({ ring: z.boolean() });

export const deviceFilter = pageQuery.extend({
  vendor: vendor.optional(),
  mac: z.string().trim().max(20).optional().describe('part of the MAC, any notation'),
  subaccountId: uuid.optional().describe('devices with a line on this subaccount'),
});
export type DeviceFilter = z.output<typeof deviceFilter>;

export function toDevice(row: DeviceRow, lineRows: DeviceLineRow[]): Device {
  return {
    id: row.id,
    accountId: row.account_id,
    mac: row.mac,
    vendor: row.vendor as Device['vendor'],
    model: row.model,
    label: row.label,
    lines: lineRows
      .filter((l) => l.device_id === row.id)
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({ lineNo: l.line_no, subaccountId: l.subaccount_id, ring: l.ring })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
