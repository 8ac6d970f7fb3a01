// The built-in `test` payment provider: behaves like a real one for the
// documented test card numbers, never stores a card number, and remembers
// charges by idempotency key. Its tokens carry what the card does and shows
// (`tok_test_<behaviour>_<brand>_<last4>_<mm>_<yyyy>_<random>`), so every
// process reads them alike and they survive restarts.
import crypto from 'node:crypto';
import { InvalidField } from '../errors.js';
import type { CardDetails, CardInput, ChargeOutcome, PaymentProvider } from './provider.js';

type Behaviour = 'succeed' | 'decline' | 'insufficient' | 'expired';

/** The card numbers the test provider knows and what charging each does. */
export const TEST_CARDS: Record<string, { brand: string; behaviour: Behaviour }> = {
  '4242424242424242': { brand: 'visa', behaviour: 'succeed' },
  '5555555555554444': { brand: 'mastercard', behaviour: 'succeed' },
  '4000000000000002': { brand: 'visa', behaviour: 'decline' },
  '4000000000009995': { brand: 'visa', behaviour: 'insufficient' },
  '4000000000000069': { brand: 'visa', behaviour: 'expired' },
};

const OUTCOME: Record<Behaviour, { status: ChargeOutcome['status']; reason: string }> = {
  succeed: { status: 'succeeded', reason: '' },
  decline: { status: 'declined', reason: 'the card was declined' },
  insufficient: { status: 'declined', reason: 'the card has insufficient funds' },
  expired: { status: 'expired', reason: 'the card has expired' },
};

const TOKEN = /^tok_test_(succeed|decline|insufficient|expired)_([a-z]+)_(\d{4})_(\d{2})_(\d{4})_[0-9a-f]{16}$/;

export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private readonly charges = new Map<string, { fingerprint: string; outcome: ChargeOutcome }>();
  private readonly detached = new Set<string>();

  tokenize(card: CardInput): Promise<string> {
    const digits = card.number.replace(/[\s-]/g, '');
    const known = TEST_CARDS[digits];
    if (!known) {
      return Promise.reject(new InvalidField('card.number', 'not a test card number (the test provider takes 4242 4242 4242 4242 and the others in the README)'));
    }
    const month = String(card.expMonth).padStart(2, '0');
    const random = crypto.randomBytes(8).toString('hex');
    return Promise.resolve(`tok_test_${known.behaviour}_${known.brand}_${digits.slice(-4)}_${month}_${card.expYear}_${random}`);
  }

  attach(token: string): Promise<CardDetails> {
    const parsed = this.parse(token);
    return parsed ? Promise.resolve(parsed.card) : Promise.reject(new InvalidField('token', 'the payment provider does not know this token'));
  }

  charge(token: string, amountMinor: number, currency: string, idempotencyKey: string): Promise<ChargeOutcome> {
    const fingerprint = `${token}|${amountMinor}|${currency}`;
    const earlier = this.charges.get(idempotencyKey);
    if (earlier) {
      // as real providers do: the same key with different parameters is a caller's mistake
      if (earlier.fingerprint !== fingerprint) return Promise.reject(new InvalidField('idempotencyKey', 'reused with a different charge'));
      return Promise.resolve(earlier.outcome);
    }
    const parsed = this.parse(token);
    const reference = `ch_test_${crypto.randomBytes(8).toString('hex')}`;
    let outcome: ChargeOutcome;
    if (!parsed) outcome = { status: 'declined', reference, reason: 'the payment provider does not know this card' };
    else {
      const { status, reason } = OUTCOME[parsed.behaviour];
      outcome = status === 'succeeded' ? { status, reference } : { status, reference, reason };
    }
    this.charges.set(idempotencyKey, { fingerprint, outcome });
    return Promise.resolve(outcome);
  }

  detach(token: string): Promise<void> {
    this.detached.add(token);
    return Promise.resolve();
  }

  /** Charges that took money, each counted once however often its key was repeated. */
  get succeededCount(): number {
    return [...this.charges.values()].filter((c) => c.outcome.status === 'succeeded').length;
  }

  private parse(token: string): { behaviour: Behaviour; card: CardDetails } | undefined {
    const m = TOKEN.exec(token);
    if (!m || this.detached.has(token)) return undefined;
    const [, behaviour, brand, last4, month, year] = m as unknown as [string, Behaviour, string, string, string, string];
    return { behaviour, card: { brand, last4, expMonth: Number(month), expYear: Number(year) } };
  }
}
