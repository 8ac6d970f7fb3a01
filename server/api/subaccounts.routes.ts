// /accounts/{accountId}/subaccounts: SIP identities, and their credentials.
import { type Subaccounts, subaccountSchemas as s } from '../accounts/index.js';
import { crudRoutes, itemParams } from './crud.js';
import { route } from './route.js';

export function subaccountRoutes(deps: { subaccounts: Subaccounts }) {
  const { subaccounts } = deps;
  return [
    ...crudRoutes({
      collection: 'subaccounts',
      idParam: 'subaccountId',
      noun: 'Subaccount',
      service: subaccounts,
      filter: s.subaccountFilter,
      item: s.subaccount,
      create: s.createSubaccount,
      created: s.createdSubaccount,
      update: s.updateSubaccount,
      summaries: {
        list: 'Subaccounts of the account (a user sees only its own)',
        create: 'Add a subaccount: network number allocated, extension and password generated when absent',
        update: 'Change a subaccount (a user may change only its password and caller id)',
        delete: 'Remove a subaccount (refused while numbers ring it)',
      },
    }),
    route({
      method: 'get',
      path: '/accounts/{accountId}/subaccounts/{subaccountId}/credentials',
      operationId: 'getSubaccountCredentials',
      summary: 'SIP user id, password and realm to enter in a softphone or ATA',
      tag: 'subaccounts',
      params: itemParams('subaccountId'),
      response: s.credentials,
      handler: ({ caller, params }) => subaccounts.credentials(caller, params.accountId, params.subaccountId),
    }),
  ];
}
