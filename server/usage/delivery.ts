// Delivering the outbox: emails through SMTP (when configured; otherwise they
// stay in the outbox as `stored`) and webhook calls, POSTed as JSON with an
// HMAC-SHA256 signature. A failed delivery is retried with growing pauses,
// at most MAX_ATTEMPTS times, then marked failed.
import crypto from 'node:crypto';
import type { Database, OutboxRow } from '../db/index.js';
import type { SecretBox } from '../secrets.js';
import * as repo from './usage.repository.js';

/** Sends one email; the SMTP implementation is in smtp.ts. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export const MAX_ATTEMPTS = 5;
const LEASE_MS = 60_000;
const WEBHOOK_TIMEOUT_MS = 5_000;
export const SIGNATURE_HEADER = 'X-Callplane-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver
 * recomputes it with the shared secret and refuses stale timestamps.
 */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Pause before attempt n+1 after n failed ones: 1, 2, 4, 8 minutes. */
export function retryDelayMs(attempts: number): number {
  return 60_000 * 2 ** Math.max(0, attempts - 1);
}

export interface DeliveryDeps {
  db: Database;
  box: SecretBox;
  mailer: Mailer | undefined;
}

/** Delivers what is due at `now`; returns how many were attempted. */
export async function deliverDue(deps: DeliveryDeps, now: Date): Promise<number> {
  const claimed = await repo.claimDue(deps.db, now, LEASE_MS);
  for (const item of claimed) await deliverOne(deps, item, now);
  return claimed.length;
}

async function deliverOne(deps: DeliveryDeps, item: OutboxRow, now: Date): Promise<void> {
  let result: { ok: true; status?: number } | { ok: false; status?: number; error: string };
  try {
    result = item.channel === 'email' ? await sendEmail(deps, item) : await callWebhook(deps, item, now);
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message.slice(0, 300) : 'delivery failed' };
  }
  if (item.channel === 'email' && !deps.mailer) {
    await repo.updateOutbox(deps.db, item.id, { status: 'stored' });
  } else if (result.ok) {
    await repo.updateOutbox(deps.db, item.id, { status: 'sent', sent_at: now, response_status: result.status ?? null, last_error: null });
  } else {
    const giveUp = item.attempts >= MAX_ATTEMPTS;
    await repo.updateOutbox(deps.db, item.id, {
      status: giveUp ? 'failed' : 'pending',
      next_attempt_at: new Date(now.getTime() + retryDelayMs(item.attempts)),
      response_status: result.status ?? null,
      last_error: result.error,
    });
  }
}

async function sendEmail(deps: DeliveryDeps, item: OutboxRow): Promise<{ ok: true }> {
  if (deps.mailer) await deps.mailer.send({ to: item.recipient, subject: item.subject, text: item.body });
  return { ok: true };
}

async function callWebhook(deps: DeliveryDeps, item: OutboxRow, now: Date) {
  const settings = await repo.settingsOf(deps.db, item.account_id);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'callplane-webhook' };
  if (settings?.webhook_secret_enc) {
    headers[SIGNATURE_HEADER] = webhookSignature(deps.box.open(settings.webhook_secret_enc), Math.floor(now.getTime() / 1000), item.body);
  }
  const res = await fetch(item.recipient, { method: 'POST', headers, body: item.body, redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
  await res.body?.cancel();
  if (res.status >= 200 && res.status < 300) return { ok: true as const, status: res.status };
  return { ok: false as const, status: res.status, error: `the webhook answered ${res.status}` };
}
