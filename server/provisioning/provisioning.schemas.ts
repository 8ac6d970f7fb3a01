// API shapes of provisioning: the account's URL and allow list, per-device
// settings (labels, function keys, codecs, language, passwords), the fetch
// audit, discovered devices and bans.
import { isIP } from 'node:net';
import { z } from 'zod';
import { codec, functionKey } from '../../provisioning/contract.js';
import { deviceSchemas } from '../accounts/index.js';

const address = z.string().refine((a) => isIP(a.split('/')[0] ?? '') !== 0 && /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a), 'an IP address or CIDR block');

export const accountProvisioning = z.object({
  url: z.string().describe('the base URL devices fetch from; append the file name'),
  allow: z.array(z.string()).describe('addresses / CIDR blocks devices may fetch from; empty: any'),
  rotatedAt: z.string(),
});
export type AccountProvisioning = z.infer<typeof accountProvisioning>;

export const updateAccountProvisioning = z.object({ allow: z.array(address).max(100) });

const lineLabel = z.object({
  displayName: z.string().trim().max(60).optional(),
  label: z.string().trim().max(40).optional(),
});

export const deviceProvisioning = z.object({
  deviceId: z.string(),
  language: z.string(),
  codecs: z.array(codec),
  functionKeys: z.array(functionKey),
  lines: z.record(z.string(), lineLabel).describe('per line number: the name shown to callers and the key label'),
  adminPassword: z.string().describe('the password of the phone’s own web UI'),
  httpUser: z.string().nullable(),
  httpPassword: z.string().nullable(),
  updatedAt: z.string(),
});
export type DeviceProvisioning = z.infer<typeof deviceProvisioning>;

export const updateDeviceProvisioning = z.object({
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language such as en, de or pt-BR').optional(),
  codecs: z
    .array(codec)
    .min(1)
    .max(5)
    .refine((c) => new Set(c).size === c.length, 'each codec once')
    .optional(),
  functionKeys: z
    .array(functionKey)
    .max(120)
    .refine((k) => new Set(k.map((x) => x.position)).size === k.length, 'each position once')
    .optional(),
  lines: z.record(z.string().regex(/^[1-9][0-9]?$/, 'a line number'), lineLabel).optional(),
  httpCredentials: z
    .object({
      user: z.string().trim().min(1).max(64).regex(/^[^":\s]+$/, 'no spaces, quotes or colons'),
      password: z.string().min(8, 'at least 8 characters').max(128),
    })
    .nullable()
    .optional()
    .describe('HTTP digest credentials the device must present; null removes them'),
  regenerateAdminPassword: z.literal(true).optional(),
});
export type UpdateDeviceProvisioning = z.output<typeof updateDeviceProvisioning>;

export const fetch = z.object({
  id: z.number().int(),
  at: z.string(),
  address: z.string(),
  userAgent: z.string(),
  file: z.string(),
  result: z.string().describe('served, challenged, bad_credentials, uploaded, no_such_file, or why it was refused'),
  firstFromAddress: z.boolean().describe('the first fetch naming this device from this address'),
});

export const discovered = z.object({
  id: z.string(),
  mac: z.string(),
  vendor: z.string(),
  model: z.string(),
  userAgent: z.string(),
  address: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

export const claimDevice = z.object({
  label: deviceSchemas.createDevice.shape.label,
  model: z.string().trim().min(1).max(40).optional().describe('default: the model its User-Agent named'),
  lines: deviceSchemas.createDevice.shape.lines,
});
export type ClaimDevice = z.output<typeof claimDevice>;

export const ban = z.object({
  address: z.string(),
  accountId: z.string().nullable().describe('the account whose key the guesses used; null: no valid key'),
  reason: z.string(),
  bannedUntil: z.string(),
  createdAt: z.string(),
});

export const upload = z.object({ id: z.number().int(), file: z.string(), address: z.string(), size: z.number().int(), at: z.string() });
