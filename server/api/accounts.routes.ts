// /accounts: the tenancy tree, and each account's audit log.
import { z } from 'zod';
import { type Accounts, accountSchemas as s, auditOf } from '../accounts/index.js';
import type { Database } from '../db/index.js';
import { reachAccount } from '../accounts/index.js';
import { pageQuery, pageSchema } from '../paging.js';
import { route } from './route.js';

import { accountParams } from './crud.js';

const auditRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  actorUserId: z.string().nullable(),
  entity: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export function accountRoutes(deps: { accounts: Accounts; db: Database }) {
  const { accounts } = deps;
  return [
    route({
      method: 'get',
      path: '/accounts',
      operationId: 'listAccounts',
      summary: 'Accounts the caller can see (all for the operator, the subtree for a reseller, its own otherwise)',
      tag: 'accounts',
      query: s.accountFilter,
      response: pageSchema(s.account),
      handler: ({ caller, query }) => accounts.list(caller, query),
    }),
    route({
      method: 'post',
      path: '/accounts',
      operationId: 'createAccount',
      summary: 'Create a reseller or customer account, optionally with its owner login',
      tag: 'accounts',
      body: s.createAccount,
      response: s.createdAccount,
      handler: ({ caller, body }) => accounts.create(caller, body),
    }),
    route({
      method: 'get',
      path: '/accounts/{accountId}',
      operationId: 'getAccount',
      summary: 'One account',
      tag: 'accounts',
      params: accountParams,
      response: s.account,
      handler: ({ caller, params }) => accounts.get(caller, params.accountId),
    }),
    route({
      method: 'patch',
      path: '/accounts/{accountId}',
      operationId: 'updateAccount',
      summary: 'Change name, realm (with confirmRealmChange), timezone, country or status',
      tag: 'accounts',
      params: accountParams,
      body: s.updateAccount,
      response: s.realmChange,
      handler: ({ caller, params, body }) => accounts.update(caller, params.accountId, body),
    }),
    route({
      method: 'delete',
      path: '/accounts/{accountId}',
      operationId: 'deleteAccount',
      summary: 'Delete an account that has no sub-accounts, subaccounts, devices or numbers left',
      tag: 'accounts',
      params: accountParams,
      handler: ({ caller, params }) => accounts.remove(caller, params.accountId),
    }),
    route({
      method: 'get',
      path: '/accounts/{accountId}/audit',
      operationId: 'listAudit',
      summary: 'Who changed what in the account, newest first',
      tag: 'accounts',
      params: accountParams,
      query: pageQuery.extend({ entity: z.string().max(40).optional() }),
      response: pageSchema(auditRecord),
      handler: async ({ caller, params, query }) => {
        await reachAccount(deps.db, caller, params.accountId, 'manage');
        return auditOf(deps.db, params.accountId, query);
      },
    }),
  ];
}
