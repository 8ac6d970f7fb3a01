// One account's usage check: auto-recharge first (a recharge that lifts the
// balance back above the threshold needs no alert), then the threshold alert.
// Each step holds the account's usage settings row FOR UPDATE while it
// decides, so checks of one account — from the scheduler of any process or
// after a ledger debit — take turns; the attempt row (account, day, seq) is
// committed before the card is charged, so no attempt is ever charged twice.
import { accountById } from '../accounts/index.js';
import { balanceOf } from '../billing/index.js';
import type { Database, PaymentChargeRow } from '../db/index.js';
import type { PaymentMethods } from '../payments/index.js';
import { raiseAlert } from './alerts.js';
import { chargeAndRecord, displayAmount } from './charges.js';
import { type PastAttempt, alertStep, localDay, rechargeDecision } from './policy.js';
import * as repo from './usage.repository.js';

/** A pending attempt older than this was left by a job that stopped mid-way: it is charged again under the same idempotency key. */
const ABANDONED_AFTER_MS = 5 * 60_000;

export interface CheckDeps {
  db: Database;
  payments: PaymentMethods;
  /** true when no SMTP server is configured: alert emails are kept in the outbox */
  emailsStored: boolean;
}

export interface CheckResult {
  recharge: PaymentChargeRow['status'] | undefined;
  alerted: boolean;
}

export async function checkAccount(deps: CheckDeps, accountId: string, now: Date): Promise<CheckResult> {
  const recharge = await rechargeIfDue(deps, accountId, now);
  const alerted = await alertIfCrossed(deps, accountId, now);
  return { recharge, alerted };
}

async function rechargeIfDue(deps: CheckDeps, accountId: string, now: Date): Promise<PaymentChargeRow['status'] | undefined> {
  const attempt = await deps.db.transaction().execute((trx) => startAttempt(deps, trx, accountId, now));
  if (!attempt) return undefined;
  const recorded = await chargeAndRecord(deps, attempt, now, async (trx, declined) => {
    const settings = await repo.lockedSettings(trx, accountId);
    const account = await accountById(trx, accountId);
    if (!settings || !account) return;
    const balance = await balanceOf(trx, accountId);
    const message = `Auto-recharge of ${displayAmount(Number(declined.amount_minor), declined.currency)} was declined: ${declined.reason ?? 'declined'}. ` +
      'It is tried again after an hour, at most 3 times on the same card; add or choose another card to continue.';
    await raiseAlert(trx, settings, {
      accountId, accountName: account.name, kind: 'recharge_declined', balanceMinor: balance.balanceMinor,
      thresholdMinor: Number(settings.recharge_below_minor), currency: declined.currency, message,
    }, deps.emailsStored, now);
  });
  return recorded.charge.status;
}

/** Decides under the settings lock and writes the pending attempt; undefined when nothing is to be charged. */
async function startAttempt(deps: CheckDeps, trx: Database, accountId: string, now: Date): Promise<PaymentChargeRow | undefined> {
  const settings = await repo.lockedSettings(trx, accountId);
  if (!settings?.recharge_enabled) return undefined;
  // Attempts first, then the balance: an attempt's success and its top-up commit together, outside this lock,
  // so an attempt read as succeeded guarantees a balance read after it includes the top-up (read the other way
  // round, a job could see the success with the balance from before it, and charge again).
  const attempts = await repo.recentAttempts(trx, accountId);
  const account = await accountById(trx, accountId);
  const balance = await balanceOf(trx, accountId);
  // an account that never had a ledger entry has no currency yet: its first funds come from a manual top-up
  if (!account || !balance.currency) return undefined;
  const abandoned = attempts.find((a) => a.status === 'pending' && now.getTime() - a.created_at.getTime() > ABANDONED_AFTER_MS);
  if (abandoned) return abandoned;
  const card = await deps.payments.defaultOf(trx, accountId);
  const today = localDay(now, account.timezone);
  const past: PastAttempt[] = attempts.map((a) => ({ day: a.day!, status: a.status, paymentMethodId: a.payment_method_id, createdAt: a.created_at }));
  const settingsNow = {
    enabled: settings.recharge_enabled,
    belowMinor: Number(settings.recharge_below_minor),
    amountMinor: Number(settings.recharge_amount_minor),
    maxPerDay: settings.recharge_max_per_day,
  };
  const decision = rechargeDecision(settingsNow, balance.balanceMinor, card?.id, past, today, now);
  if (!decision.charge) return undefined;
  return repo.insertCharge(trx, {
    account_id: accountId,
    payment_method_id: card!.id,
    kind: 'auto_recharge',
    idempotency_key: `recharge:${accountId}:${today}:${decision.seq}`,
    day: today,
    seq: decision.seq,
    amount_minor: settingsNow.amountMinor,
    currency: balance.currency,
    created_at: now,
  });
}

async function alertIfCrossed(deps: CheckDeps, accountId: string, now: Date): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const settings = await repo.lockedSettings(trx, accountId);
    if (!settings) return false;
    const threshold = settings.alert_threshold_minor === null ? null : Number(settings.alert_threshold_minor);
    const balance = await balanceOf(trx, accountId);
    const step = alertStep({ armed: settings.alert_armed }, balance.balanceMinor, threshold);
    if (step.armed !== settings.alert_armed) await repo.setArmed(trx, accountId, step.armed);
    if (!step.fire || threshold === null) return false;
    const account = await accountById(trx, accountId);
    const message = `The balance is ${displayAmount(balance.balanceMinor, balance.currency ?? null)}, below your alert threshold of ${displayAmount(threshold, balance.currency ?? null)}.`;
    await raiseAlert(trx, settings, {
      accountId, accountName: account?.name ?? accountId, kind: 'balance_below_threshold', balanceMinor: balance.balanceMinor,
      thresholdMinor: threshold, currency: balance.currency ?? null, message,
    }, deps.emailsStored, now);
    return true;
  });
}
