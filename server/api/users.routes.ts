// /accounts/{accountId}/users: web logins.
import { type Users, userSchemas as s } from '../accounts/index.js';
import { crudRoutes } from './crud.js';

export function userRoutes(deps: { users: Users }) {
  return crudRoutes({
    collection: 'users',
    idParam: 'userId',
    noun: 'User',
    service: deps.users,
    filter: s.userFilter,
    item: s.user,
    create: s.createUser,
    created: s.createdUser,
    update: s.updateUser,
    summaries: {
      list: 'Logins of the account (a user sees only itself)',
      create: 'Add a login; the password is generated and returned once when not given',
      update: 'Change a login; your own password needs currentPassword',
    },
  });
}
