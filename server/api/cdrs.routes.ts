// /accounts/{accountId}/cdrs: the account's call list.
import { type Cdrs, cdrFilter, cdrPage } from '../cdrs/index.js';
import { accountParams } from './crud.js';
import { route } from './route.js';

export function cdrRoutes(deps: { cdrs: Cdrs }) {
  return [
    route({
      method: 'get',
      path: '/accounts/{accountId}/cdrs',
      operationId: 'listCdrs',
      summary: 'The account’s calls, newest first (a user sees those of its own subaccount)',
      tag: 'cdrs',
      params: accountParams,
      query: cdrFilter,
      response: cdrPage,
      handler: ({ caller, params, query }) => deps.cdrs.list(caller, params.accountId, query),
    }),
  ];
}
