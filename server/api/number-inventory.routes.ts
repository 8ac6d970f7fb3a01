// The local number inventory: the operator loads stock; an Owner searches it
// by area code and buys a number for the account (seed 002, prorated).
import { type NumberInventory, inventorySchemas as s } from '../numbers-inventory/index.js';
import { pageSchema } from '../paging.js';
import { accountParams } from './crud.js';
import { route } from './route.js';

export function numberInventoryRoutes(deps: { numberInventory: NumberInventory }) {
  const tag = 'number-inventory';
  return [
    route({
      method: 'post', path: '/number-inventory', operationId: 'loadNumberInventory', tag,
      summary: 'Load numbers into the inventory (operator): E.164, area code, monthly and setup fee',
      body: s.loadStock, response: s.stockLoaded,
      handler: ({ caller, body }) => deps.numberInventory.load(caller, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/available-numbers', operationId: 'listAvailableNumbers', tag,
      summary: 'Numbers the account can buy, by area code, with their fees',
      params: accountParams, query: s.availableFilter, response: pageSchema(s.availableNumber),
      handler: ({ caller, params, query }) => deps.numberInventory.available(caller, params.accountId, query),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/number-purchases', operationId: 'buyNumber', tag,
      summary: 'Buy an available number (the Owner): it becomes the account’s, its prorated monthly fee and setup fee are charged',
      params: accountParams, body: s.purchase, response: s.purchased,
      handler: ({ caller, params, body }) => deps.numberInventory.buy(caller, params.accountId, body.number, new Date()),
    }),
  ];
}
