// /accounts/{accountId}/numbers: DIDs and where they ring.
import { type Numbers, numberSchemas as s } from '../accounts/index.js';
import { crudRoutes } from './crud.js';

export function numberRoutes(deps: { numbers: Numbers }) {
  return crudRoutes({
    collection: 'numbers',
    idParam: 'numberId',
    noun: 'Number',
    service: deps.numbers,
    filter: s.numberFilter,
    item: s.phoneNumber,
    create: s.createNumber,
    update: s.updateNumber,
    summaries: {
      list: 'Phone numbers of the account (a user sees those ringing its subaccount)',
      create: 'Assign a number to the account (operator and resellers)',
      update: 'Change where a number rings',
      delete: 'Take a number back from the account (operator and resellers)',
    },
  });
}
