// Usage charges (seed 003): threshold alerts by email and webhook, and
// auto-recharge of the default card; the charges, alerts and outbox they leave.
import { z } from 'zod';
import type { OutboxRow, PaymentChargeRow, UsageAlertRow, UsageSettingsRow } from '../db/index.js';

const minor = z.number().int().refine(Number.isSafeInteger, 'a whole number of minor units');
const positiveMinor = minor.refine((n) => n > 0, 'more than 0');
const email = z.string().trim().email('an email address').transform((v) => v.toLowerCase());
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url('an http(s) URL')
  .refine((v) => /^https?:\/\//i.test(v), 'an http(s) URL');

export const autoRecharge = z.object({
  enabled: z.boolean(),
  belowMinor: minor.describe('charge when the balance falls below this'),
  amountMinor: positiveMinor.describe('what each recharge adds'),
  maxPerDay: z.number().int().min(1).max(24).describe('successful recharges per day at most (the account’s timezone)'),
});

export const usageSettings = z.object({
  accountId: z.string(),
  alertThresholdMinor: minor.nullable().describe('alert once each time the balance falls below this; null: no alerts'),
  alertEmails: z.array(z.string()),
  webhookUrl: z.string().nullable(),
  webhookSecretSet: z.boolean().describe('whether webhook calls are signed (the secret is never shown)'),
  autoRecharge,
  updatedAt: z.string().nullable(),
});
export type UsageSettings = z.infer<typeof usageSettings>;

export const putUsageSettings = z
  .object({
    alertThresholdMinor: minor.nullable().default(null),
    alertEmails: z.array(email).max(10, 'at most 10 addresses').default([]),
    webhookUrl: webhookUrl.nullable().default(null),
    webhookSecret: z
      .string()
      .min(16, 'at least 16 characters')
      .max(200)
      .optional()
      .describe('signs each webhook call (X-Callplane-Signature); kept when omitted, required with a new webhook'),
    autoRecharge: autoRecharge.default({ enabled: false, belowMinor: 0, amountMinor: 1, maxPerDay: 1 }),
  })
  .strict();
export type PutUsageSettings = z.output<typeof putUsageSettings>;

export const chargeStatus = z.enum(['pending', 'succeeded', 'declined', 'expired']);

export const charge = z.object({
  id: z.string(),
  kind: z.enum(['topup', 'auto_recharge']),
  paymentMethodId: z.string().nullable(),
  day: z.string().nullable().describe('auto-recharge: the account’s local day'),
  seq: z.number().int().nullable().describe('auto-recharge: the attempt’s number that day'),
  amountMinor: z.number().int(),
  currency: z.string(),
  status: chargeStatus,
  reason: z.string().nullable(),
  ledgerEntryId: z.number().int().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type Charge = z.infer<typeof charge>;

export const topupInput = z
  .object({
    amountMinor: positiveMinor,
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR').optional().describe('defaults to the balance’s currency'),
    paymentMethodId: z.string().uuid('a UUID').optional().describe('defaults to the default card'),
    idempotencyKey: z.string().min(8).max(100).optional().describe('a retried request with the same key charges once'),
  })
  .strict();
export type TopupInput = z.output<typeof topupInput>;

export const topup = z.object({ charge, balanceMinor: z.number().int() });

export const alert = z.object({
  id: z.string(),
  kind: z.enum(['balance_below_threshold', 'recharge_declined']),
  balanceMinor: z.number().int(),
  thresholdMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  message: z.string(),
  createdAt: z.string(),
});
export type Alert = z.infer<typeof alert>;

export const outboxItem = z.object({
  id: z.string(),
  alertId: z.string().nullable(),
  channel: z.enum(['email', 'webhook']),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(['pending', 'sent', 'stored', 'failed']).describe('stored: kept here because no SMTP server is configured'),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof outboxItem>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (n: number | string | null) => (n === null ? null : Number(n));

export function toUsageSettings(accountId: string, row: UsageSettingsRow | undefined): UsageSettings {
  return {
    accountId,
    alertThresholdMinor: num(row?.alert_threshold_minor ?? null),
    alertEmails: row?.alert_emails ?? [],
    webhookUrl: row?.webhook_url ?? null,
    webhookSecretSet: Boolean(row?.webhook_secret_enc),
    autoRecharge: {
      enabled: row?.recharge_enabled ?? false,
      belowMinor: Number(row?.recharge_below_minor ?? 0),
      amountMinor: Number(row?.recharge_amount_minor ?? 0),
      maxPerDay: row?.recharge_max_per_day ?? 1,
    },
    updatedAt: iso(row?.updated_at ?? null),
  };
}

export function toCharge(row: PaymentChargeRow): Charge {
  return {
    id: row.id,
    kind: row.kind,
    paymentMethodId: row.payment_method_id,
    day: row.day,
    seq: row.seq,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    ledgerEntryId: num(row.ledger_entry_id),
    createdAt: row.created_at.toISOString(),
    completedAt: iso(row.completed_at),
  };
}

export function toAlert(row: UsageAlertRow): Alert {
  return {
    id: row.id,
    kind: row.kind,
    balanceMinor: Number(row.balance_minor),
    thresholdMinor: num(row.threshold_minor),
    currency: row.currency,
    message: row.message,
    createdAt: row.created_at.toISOString(),
  };
}

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    alertId: row.alert_id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.response_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
  };
}
