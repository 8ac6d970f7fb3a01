// /phone-models: the catalogue of phones an owner may buy (the operator sets
// prices); /accounts/{accountId}/phone-orders: orders, moved by staff.
import { z } from 'zod';
import { type PhoneCatalogue, type PhoneOrders, orderSchemas as s } from '../orders/index.js';
import { pageSchema } from '../paging.js';
import { accountParams, itemParams } from './crud.js';
import { route } from './route.js';

export function orderRoutes(deps: { phoneCatalogue: PhoneCatalogue; phoneOrders: PhoneOrders }) {
  const { phoneCatalogue: catalogue, phoneOrders: orders } = deps;
  const base = '/accounts/{accountId}/phone-orders';
  const item = `${base}/{orderId}`;
  const params = itemParams('orderId');
  const tag = 'phone-orders';
  return [
    route({
      method: 'get', path: '/phone-models', operationId: 'listPhoneModels', tag,
      summary: 'The phones an owner may buy, with prices in minor units',
      response: z.object({ items: z.array(s.phoneModel) }),
      handler: () => catalogue.list(),
    }),
    route({
      method: 'patch', path: '/phone-models/{modelId}', operationId: 'updatePhoneModel', tag,
      summary: 'Operator: change a model’s name, price, currency or availability',
      params: z.object({ modelId: z.string().uuid('a UUID') }), body: s.updatePhoneModel, response: s.phoneModel,
      handler: ({ caller, params: p, body }) => catalogue.update(caller, p.modelId, body),
    }),
    route({
      method: 'get', path: base, operationId: 'listPhoneOrders', tag,
      summary: 'Phone orders of the account',
      params: accountParams, query: s.orderFilter, response: pageSchema(s.phoneOrder),
      handler: ({ caller, params: p, query }) => orders.list(caller, p.accountId, query),
    }),
    route({
      method: 'post', path: base, operationId: 'placePhoneOrder', tag,
      summary: 'Owner: buy phones; the total is debited from the account at once',
      params: accountParams, body: s.placeOrder, response: s.phoneOrder,
      handler: ({ caller, params: p, body }) => orders.place(caller, p.accountId, body),
    }),
    route({
      method: 'get', path: item, operationId: 'getPhoneOrder', tag,
      summary: 'One phone order',
      params, response: s.phoneOrder,
      handler: ({ caller, params: p }) => orders.get(caller, p.accountId, p.orderId),
    }),
    route({
      method: 'post', path: `${item}/status`, operationId: 'movePhoneOrder', tag, status: 200,
      summary: 'Staff: ship (with each phone’s MAC), deliver (the phones become devices) or cancel before shipping (refunded)',
      params, body: s.orderTransition, response: s.phoneOrder,
      handler: ({ caller, params: p, body }) => orders.transition(caller, p.accountId, p.orderId, body),
    }),
  ];
}
