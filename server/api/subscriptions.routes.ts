// /accounts/{accountId}/price-list and /subscription: what a seat costs, what
// the account subscribes to, and the Owner's billed user quantity (seed 002).
import { type Subscriptions, subscriptionSchemas as s } from '../subscriptions/index.js';
import { accountParams } from './crud.js';
import { route } from './route.js';

export function subscriptionRoutes(deps: { subscriptions: Subscriptions }) {
  const tag = 'subscriptions';
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/price-list', operationId: 'getPriceList', tag,
      summary: 'The price list that applies to the account (its own, its nearest ancestor’s, or the configured default)',
      params: accountParams, response: s.priceList,
      handler: ({ caller, params }) => deps.subscriptions.priceList(caller, params.accountId),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/price-list', operationId: 'setPriceList', tag,
      summary: 'Set the price list on an account (operator and resellers): it applies to the account and those below it',
      params: accountParams, body: s.priceListInput, response: s.priceList,
      handler: ({ caller, params, body }) => deps.subscriptions.setPriceList(caller, params.accountId, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/subscription', operationId: 'getSubscription', tag,
      summary: 'Billed users, numbers and their monthly prices',
      params: accountParams, response: s.subscription,
      handler: ({ caller, params }) => deps.subscriptions.subscription(caller, params.accountId, new Date()),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/subscription/seats', operationId: 'setSeats', tag,
      summary: 'Raise or lower the billed user quantity (the Owner): prorated from today, posted to the ledger',
      params: accountParams, body: s.seatChange, response: s.seatChanged,
      handler: ({ caller, params, body }) => deps.subscriptions.setSeats(caller, params.accountId, body.quantity, new Date()),
    }),
  ];
}
