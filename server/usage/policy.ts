// The rules of usage charges as pure functions of plain data (no clock, no I/O):
// when a threshold alert fires, when auto-recharge may charge, and the
// account's local day that "at most N per day" counts in.

/** A threshold alert fires once per crossing: from ≥ threshold to < threshold. */
export interface AlertState {
  /** true while the balance was last seen at or above the threshold */
  armed: boolean;
}

export type AlertStep = { fire: boolean; armed: boolean };

/** What the next balance reading does: fire (and disarm) on a fall below, re-arm on a rise to or above. */
export function alertStep(state: AlertState, balanceMinor: number, thresholdMinor: number | null): AlertStep {
  if (thresholdMinor === null) return { fire: false, armed: true };
  if (balanceMinor >= thresholdMinor) return { fire: false, armed: true };
  return { fire: state.armed, armed: false };
}

/** The calendar day (YYYY-MM-DD) at `now` in the account's timezone. */
export function localDay(now: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** After a declined recharge, the next try waits this long… */
export const RETRY_AFTER_DECLINE_MS = 3_600_000;
/** …and after this many declines in a row on the same card, tries stop until the default card changes. */
export const MAX_DECLINES_PER_CARD = 3;

export interface RechargeSettings {
  enabled: boolean;
  belowMinor: number;
  amountMinor: number;
  maxPerDay: number;
}

/** An earlier attempt, as the decision needs it (the account's attempts today, plus the latest ones on any day). */
export interface PastAttempt {
  day: string;
  status: 'pending' | 'succeeded' | 'declined' | 'expired';
  paymentMethodId: string | null;
  createdAt: Date;
}

export type RechargeDecision =
  | { charge: true; seq: number }
  | { charge: false; why: 'disabled' | 'above_threshold' | 'no_card' | 'in_flight' | 'daily_limit' | 'waiting_after_decline' | 'card_declined_repeatedly' };

/**
 * May auto-recharge charge now? `attempts` are the account's attempts, newest
 * first (those of `today` and at least the last MAX_DECLINES_PER_CARD).
 * Every attempt today counts toward the sequence number, successes toward
 * maxPerDay; a pending one means another job is charging right now.
 */
export function rechargeDecision(
  settings: RechargeSettings,
  balanceMinor: number,
  cardId: string | undefined,
  attempts: readonly PastAttempt[],
  today: string,
  now: Date,
): RechargeDecision {
  if (!settings.enabled) return { charge: false, why: 'disabled' };
  if (balanceMinor >= settings.belowMinor) return { charge: false, why: 'above_threshold' };
  if (!cardId) return { charge: false, why: 'no_card' };
  if (attempts.some((a) => a.status === 'pending')) return { charge: false, why: 'in_flight' };
  const todays = attempts.filter((a) => a.day === today);
  if (todays.filter((a) => a.status === 'succeeded').length >= settings.maxPerDay) return { charge: false, why: 'daily_limit' };
  const declinesInARow = consecutiveDeclines(attempts, cardId);
  if (declinesInARow >= MAX_DECLINES_PER_CARD) return { charge: false, why: 'card_declined_repeatedly' };
  const last = attempts[0];
  if (declinesInARow > 0 && last && now.getTime() - last.createdAt.getTime() < RETRY_AFTER_DECLINE_MS) {
    return { charge: false, why: 'waiting_after_decline' };
  }
  return { charge: true, seq: todays.length + 1 };
}

/** Declined (or expired-card) attempts on this card since its last success, newest first. */
function consecutiveDeclines(attempts: readonly PastAttempt[], cardId: string): number {
  let count = 0;
  for (const attempt of attempts) {
    if (attempt.paymentMethodId !== cardId || attempt.status === 'succeeded') break;
    if (attempt.status === 'declined' || attempt.status === 'expired') count += 1;
  }
  return count;
}
