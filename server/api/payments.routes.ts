// /accounts/{accountId}/payment-methods: the account's cards (as provider
// tokens), the default one, and manual top-ups by card.
import { pageSchema } from '../paging.js';
import { type PaymentMethods, paymentMethodSchemas as s } from '../payments/index.js';
import { type Usage, usageSchemas as u } from '../usage/index.js';
import { accountParams, itemParams } from './crud.js';
import { route } from './route.js';

export function paymentRoutes(deps: { paymentMethods: PaymentMethods; usage: Usage }) {
  const { paymentMethods, usage } = deps;
  const params = itemParams('paymentMethodId');
  const tag = 'payments';
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/payment-methods', operationId: 'listPaymentMethods', tag,
      summary: 'Cards on file: brand, last four, expiry, which is the default (owner; staff may look)',
      params: accountParams, response: pageSchema(s.paymentMethod),
      handler: ({ caller, params: p }) => paymentMethods.list(caller, p.accountId),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/payment-methods', operationId: 'addPaymentMethod', tag,
      summary: 'Add a card by provider token (or, with the test provider, a test card number) — owner only',
      params: accountParams, body: s.addPaymentMethod, response: s.paymentMethod,
      handler: ({ caller, params: p, body }) => paymentMethods.add(caller, p.accountId, body),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/payment-methods/{paymentMethodId}/default', operationId: 'makePaymentMethodDefault', tag,
      summary: 'Charge this card for recurring billing and auto-recharge — owner only',
      status: 200, params, response: s.paymentMethod,
      handler: ({ caller, params: p }) => paymentMethods.makeDefault(caller, p.accountId, p.paymentMethodId),
    }),
    route({
      method: 'delete', path: '/accounts/{accountId}/payment-methods/{paymentMethodId}', operationId: 'deletePaymentMethod', tag,
      summary: 'Remove a card; removing the default while others remain needs ?newDefaultId= — owner only',
      params, query: s.removeQuery,
      handler: ({ caller, params: p, query }) => paymentMethods.remove(caller, p.accountId, p.paymentMethodId, query.newDefaultId),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/topups', operationId: 'topUp', tag,
      summary: 'Charge a card and credit the balance (one ledger top-up); a refused card → 402, nothing written — owner only',
      params: accountParams, body: u.topupInput, response: u.topup,
      handler: ({ caller, params: p, body }) => usage.topup(caller, p.accountId, body),
    }),
  ];
}
