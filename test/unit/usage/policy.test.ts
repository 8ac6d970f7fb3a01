// The pure rules of usage charges: alert once per crossing, when auto-recharge
// may charge, and the account's local day.
import { describe, expect, it } from 'vitest';
import { type PastAttempt, alertStep, localDay, rechargeDecision } from '../../../server/usage/policy.js';

describe('alertStep', () => {
  it('fires once per fall below the threshold and re-arms at or above it', () => {
    const balances = [1_000, 400, 300, 300, 500, 900, 200, 100];
    let armed = true;
    const fired = balances.map((balance) => {
      const step = alertStep({ armed }, balance, 500);
      armed = step.armed;
      return step.fire;
    });
    expect(fired).toEqual([false, true, false, false, false, false, true, false]);
  });

  it('never fires without a threshold', () => {
    expect(alertStep({ armed: true }, -1_000, null)).toEqual({ fire: false, armed: true });
  });
});

describe('localDay', () => {
  it.each([
    ['2026-11-23T23:30:00Z', 'UTC', '2026-11-23'],
    ['2026-11-23T23:30:00Z', 'Asia/Tokyo', '2026-11-24'],
    ['2026-11-24T03:00:00Z', 'America/Los_Angeles', '2026-11-23'],
  ])('%s in %s is %s', (at, tz, day) => expect(localDay(new Date(at), tz)).toBe(day));
});

describe('rechargeDecision', () => {
  const settings = { enabled: true, belowMinor: 500, amountMinor: 1_000, maxPerDay: 2 };
  const now = new Date('2026-11-23T12:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const attempt = (status: PastAttempt['status'], minutesAgo: number, card = 'card-1', day = '2026-11-23'): PastAttempt => ({
    day, status, paymentMethodId: card, createdAt: ago(minutesAgo),
  });
  const decide = (attempts: PastAttempt[], over: Partial<{ balance: number; card: string | undefined; enabled: boolean }> = {}) =>
    rechargeDecision({ ...settings, enabled: over.enabled ?? true }, over.balance ?? 100, 'card' in over ? over.card : 'card-1', attempts, '2026-11-23', now);

  it.each<[string, PastAttempt[], object, object]>([
    ['charges the first time', [], {}, { charge: true, seq: 1 }],
    ['not when disabled', [], { enabled: false }, { charge: false, why: 'disabled' }],
    ['not at or above the threshold', [], { balance: 500 }, { charge: false, why: 'above_threshold' }],
    ['not without a card', [], { card: undefined }, { charge: false, why: 'no_card' }],
    ['not while another attempt is in flight', [attempt('pending', 1)], {}, { charge: false, why: 'in_flight' }],
    ['counts yesterday’s attempts for nothing', [attempt('succeeded', 600, 'card-1', '2026-11-22')], {}, { charge: true, seq: 1 }],
    ['a second success the same day', [attempt('succeeded', 5)], {}, { charge: true, seq: 2 }],
    ['not past N successes a day', [attempt('succeeded', 5), attempt('succeeded', 10)], {}, { charge: false, why: 'daily_limit' }],
    ['waits an hour after a decline', [attempt('declined', 59)], {}, { charge: false, why: 'waiting_after_decline' }],
    ['retries after an hour', [attempt('declined', 61)], {}, { charge: true, seq: 2 }],
    ['stops after 3 declines on the card', [attempt('declined', 200), attempt('expired', 300), attempt('declined', 400)], {}, { charge: false, why: 'card_declined_repeatedly' }],
    ['resumes with another card', [attempt('declined', 1), attempt('declined', 70), attempt('declined', 140)], { card: 'card-2' }, { charge: true, seq: 4 }],
  ])('%s', (_what, attempts, over, expected) => {
    expect(decide(attempts, over)).toEqual(expected);
  });
});
