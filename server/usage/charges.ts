// Charging a card for a charge row already written as pending, and recording
// the outcome: on success the charge and its ledger `topup` entry are written
// in one transaction; a charge another job already completed is left alone
// (the UPDATE … WHERE status = 'pending' decides who records it).
import { ledgerEntryInput, minorUnitExponent, postEntryIn } from '../billing/index.js';
import type { Database, PaymentChargeRow } from '../db/index.js';
import type { ChargeOutcome, PaymentMethods } from '../payments/index.js';
import * as repo from './usage.repository.js';

export interface ChargeDeps {
  db: Database;
  payments: PaymentMethods;
}

export interface Recorded {
  charge: PaymentChargeRow;
  /** false when another job had already recorded this charge */
  recordedNow: boolean;
  balanceMinor: number | undefined;
}

/** Asks the provider (with the row's idempotency key) and records what it answered. */
export async function chargeAndRecord(
  deps: ChargeDeps,
  row: PaymentChargeRow,
  now: Date,
  afterDecline?: (trx: Database, charge: PaymentChargeRow) => Promise<void>,
): Promise<Recorded> {
  const outcome = await askProvider(deps, row);
  return deps.db.transaction().execute(async (trx) => {
    const done = await repo.completeCharge(trx, row.id, {
      status: outcome.status,
      reason: outcome.status === 'succeeded' ? null : outcome.reason,
      completed_at: now,
    });
    if (!done) return { charge: (await repo.chargeByKey(trx, row.idempotency_key))!, recordedNow: false, balanceMinor: undefined };
    if (outcome.status !== 'succeeded') {
      await afterDecline?.(trx, done);
      return { charge: done, recordedNow: true, balanceMinor: undefined };
    }
    const amount = Number(row.amount_minor);
    const posted = await postEntryIn(
      trx,
      ledgerEntryInput.parse({
        accountId: row.account_id,
        kind: 'topup',
        amountMinor: amount,
        currency: row.currency,
        memo: `${row.kind === 'auto_recharge' ? 'auto-recharge' : 'top-up'} by card (${displayAmount(amount, row.currency)})`,
        createdBy: row.kind === 'auto_recharge' ? 'auto-recharge' : 'top-up',
      }),
    );
    const charge = (await repo.linkLedgerEntry(trx, row.id, posted.entry!.id))!;
    return { charge, recordedNow: true, balanceMinor: posted.balanceMinor };
  });
}

async function askProvider(deps: ChargeDeps, row: PaymentChargeRow): Promise<ChargeOutcome> {
  const card = row.payment_method_id ? await deps.payments.methodOf(deps.db, row.account_id, row.payment_method_id) : undefined;
  if (!card) return { status: 'declined', reference: '', reason: 'the card was removed before it was charged' };
  return deps.payments.provider.charge(card.token, Number(row.amount_minor), row.currency, row.idempotency_key);
}

/** 1234 EUR → "12.34 EUR", by the currency's minor-unit exponent. */
export function displayAmount(minor: number, currency: string | null): string {
  const exponent = currency ? minorUnitExponent(currency) : 2;
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent > 0 ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return `${sign}${whole}${currency ? ` ${currency}` : ''}`;
}
