// The payment provider contract. callplane never holds card numbers: a
// provider turns card details into a token (in the browser, for a real
// provider such as Stripe; on the server only for the built-in test
// provider), and everything after that — attach, charge, detach — names the
// token. A real provider plugs in by implementing this interface.

/** What may be stored and shown of a card. */
export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** Card details as a person types them; handed to `tokenize` and dropped. */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc?: string | undefined;
}

export type ChargeOutcome =
  | { status: 'succeeded'; reference: string }
  | { status: 'declined' | 'expired'; reference: string; reason: string };

export interface PaymentProvider {
  /** Stored with each payment method: which provider its token belongs to. */
  readonly name: string;
  /**
   * Turns card details into a token. Real providers do this client-side and
   * do not implement it; the API then accepts only tokens.
   */
  tokenize?(card: CardInput): Promise<string>;
  /** Validates a token with the provider and returns what may be stored; InvalidField('token') when unknown. */
  attach(token: string): Promise<CardDetails>;
  /**
   * Charges the card. A repeated idempotency key returns the first result and
   * never charges twice (the provider keeps the keys).
   */
  charge(token: string, amountMinor: number, currency: string, idempotencyKey: string): Promise<ChargeOutcome>;
  /** Forgets the token at the provider; the card can no longer be charged. */
  detach(token: string): Promise<void>;
}
