// Payment methods (seed 002: the owner adds and changes cards and picks the
// one for recurring billing). Stored: provider, token, brand, last four,
// expiry. The card number, when sent, goes to the test provider only.
import { z } from 'zod';
import type { PaymentMethodRow } from '../db/index.js';

const uuid = z.string().uuid('a UUID');
const month = z.number().int().min(1, '1 to 12').max(12, '1 to 12');
const year = z.number().int().min(2000, 'a four-digit year').max(2200, 'a four-digit year');

export const paymentMethod = z.object({
  id: uuid,
  accountId: uuid,
  provider: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  isDefault: z.boolean().describe('the card charged for recurring billing and auto-recharge'),
  createdAt: z.string(),
});
export type PaymentMethod = z.infer<typeof paymentMethod>;

export const addPaymentMethod = z
  .object({
    token: z.string().trim().min(1).max(500).optional().describe('a token from the payment provider (what a real provider’s browser form returns)'),
    card: z
      .object({
        number: z.string().trim().regex(/^[0-9 -]{12,23}$/, 'card digits'),
        expMonth: month,
        expYear: year,
        cvc: z.string().regex(/^[0-9]{3,4}$/, '3 or 4 digits').optional(),
      })
      .strict()
      .optional()
      .describe('test provider only: a test card number, tokenized at once and never stored or logged'),
    makeDefault: z.boolean().optional().describe('charge this card for recurring billing (the first card always is)'),
  })
  .strict()
  .refine((v) => (v.token === undefined) !== (v.card === undefined), { message: 'send either token or card', path: ['token'] });
export type AddPaymentMethod = z.output<typeof addPaymentMethod>;

export const removeQuery = z.object({
  newDefaultId: uuid.optional().describe('when removing the default card: the card that becomes the default'),
});

export function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  return {
    id: row.id,
    accountId: row.account_id,
    provider: row.provider,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
  };
}

/** True when a card expiring at the end of month/year has expired at `now` (UTC). */
export function hasExpired(card: { expMonth: number; expYear: number }, now: Date): boolean {
  const endOfMonth = Date.UTC(card.expYear, card.expMonth, 1);
  return now.getTime() >= endOfMonth;
}
