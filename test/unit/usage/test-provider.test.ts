// The built-in test payment provider behaves like a real one for its test cards.
import { describe, expect, it } from 'vitest';
import { TestPaymentProvider } from '../../../server/payments/index.js';

const card = (number: string) => ({ number, expMonth: 12, expYear: 2099 });

describe('TestPaymentProvider', () => {
  it.each([
    ['4242 4242 4242 4242', 'visa', 'succeeded'],
    ['5555555555554444', 'mastercard', 'succeeded'],
    ['4000000000000002', 'visa', 'declined'],
    ['4000000000009995', 'visa', 'declined'],
    ['4000000000000069', 'visa', 'expired'],
  ])('%s is a %s card whose charge is %s', async (number, brand, status) => {
    const provider = new TestPaymentProvider();
    const token = await provider.tokenize(card(number));
    expect(token).not.toContain(number.replace(/\s/g, ''));
    expect(await provider.attach(token)).toEqual({ brand, last4: number.slice(-4), expMonth: 12, expYear: 2099 });
    expect((await provider.charge(token, 100, 'EUR', 'k1')).status).toBe(status);
  });

  it('returns the first result for a repeated idempotency key and refuses the key for another charge', async () => {
    const provider = new TestPaymentProvider();
    const token = await provider.tokenize(card('4242424242424242'));
    const first = await provider.charge(token, 500, 'EUR', 'order-1');
    expect(await provider.charge(token, 500, 'EUR', 'order-1')).toEqual(first);
    expect(provider.succeededCount).toBe(1);
    await expect(provider.charge(token, 600, 'EUR', 'order-1')).rejects.toMatchObject({ field: 'idempotencyKey' });
  });

  it('refuses unknown numbers and tokens, and declines a detached card', async () => {
    const provider = new TestPaymentProvider();
    await expect(provider.tokenize(card('4111111111111111'))).rejects.toMatchObject({ field: 'card.number' });
    await expect(provider.attach('tok_unknown')).rejects.toMatchObject({ field: 'token' });
    const token = await provider.tokenize(card('4242424242424242'));
    await provider.detach(token);
    expect((await provider.charge(token, 100, 'EUR', 'k2')).status).toBe('declined');
  });
});
