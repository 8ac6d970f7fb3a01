// Raising an alert: the alert row and its notifications — one email per
// recipient and one webhook call — written in the caller's transaction, so an
// alert is never recorded without its notifications or the other way round.
import type { Database, UsageAlertKind, UsageSettingsRow } from '../db/index.js';
import { displayAmount } from './charges.js';
import * as repo from './usage.repository.js';

export interface AlertFacts {
  accountId: string;
  accountName: string;
  kind: UsageAlertKind;
  balanceMinor: number;
  thresholdMinor: number | null;
  currency: string | null;
  message: string;
}

const SUBJECT: Record<UsageAlertKind, string> = {
  balance_below_threshold: 'Balance below your alert threshold',
  recharge_declined: 'Auto-recharge declined',
};

/** Records the alert and queues its notifications; `emailsStored`: no SMTP server, emails stay in the outbox. */
export async function raiseAlert(trx: Database, settings: UsageSettingsRow, facts: AlertFacts, emailsStored: boolean, now: Date) {
  const alert = await repo.insertAlert(trx, {
    account_id: facts.accountId,
    kind: facts.kind,
    balance_minor: facts.balanceMinor,
    threshold_minor: facts.thresholdMinor,
    currency: facts.currency,
    message: facts.message,
    created_at: now,
  });
  const subject = `${SUBJECT[facts.kind]}: ${facts.accountName}`;
  const text = `${facts.message}\n\nAccount: ${facts.accountName} (${facts.accountId})\nBalance: ${displayAmount(facts.balanceMinor, facts.currency)}\n`;
  const payload = JSON.stringify({
    id: alert.id,
    event: facts.kind,
    accountId: facts.accountId,
    balanceMinor: facts.balanceMinor,
    thresholdMinor: facts.thresholdMinor,
    currency: facts.currency,
    message: facts.message,
    createdAt: now.toISOString(),
  });
  const base = { account_id: facts.accountId, alert_id: alert.id, subject, next_attempt_at: now, created_at: now };
  await repo.insertOutbox(trx, [
    ...settings.alert_emails.map((to) => ({ ...base, channel: 'email' as const, recipient: to, body: text, status: emailsStored ? ('stored' as const) : ('pending' as const) })),
    ...(settings.webhook_url ? [{ ...base, channel: 'webhook' as const, recipient: settings.webhook_url, body: payload }] : []),
  ]);
  return alert;
}
