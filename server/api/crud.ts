// The five routes every resource inside an account has: list, create, get,
// change, delete. Extra routes of a resource sit beside these in its router.
import { z } from 'zod';
import type { Caller } from '../accounts/index.js';
import { pageSchema } from '../paging.js';
import { type Route, route } from './route.js';

export const accountParams = z.object({ accountId: z.string().uuid('a UUID') });

export interface AccountScopedService<F, C, U> {
  list(caller: Caller, accountId: string, filter: F): Promise<unknown>;
  create(caller: Caller, accountId: string, input: C): Promise<unknown>;
  get(caller: Caller, accountId: string, id: string): Promise<unknown>;
  update(caller: Caller, accountId: string, id: string, input: U): Promise<unknown>;
  remove(caller: Caller, accountId: string, id: string): Promise<void>;
}

export interface CrudSpec<F extends z.ZodType, C extends z.ZodType, U extends z.ZodType> {
  /** plural path segment under the account: `subaccounts` */
  collection: string;
  /** name of the id parameter: `subaccountId` */
  idParam: string;
  /** singular noun for summaries and operation ids: `Subaccount` */
  noun: string;
  /** plural for operation ids when the collection is not one word: `HuntGroups` for `hunt-groups` */
  plural?: string;
  service: AccountScopedService<z.output<F>, z.output<C>, z.output<U>>;
  filter: F;
  item: z.ZodType;
  create: C;
  created?: z.ZodType;
  update: U;
  summaries?: Partial<Record<'list' | 'create' | 'get' | 'update' | 'delete', string>>;
}

export function itemParams<K extends string>(idParam: K) {
  return accountParams.extend({ [idParam]: z.string().uuid('a UUID') } as Record<K, z.ZodString>);
}

export function crudRoutes<F extends z.ZodType, C extends z.ZodType, U extends z.ZodType>(spec: CrudSpec<F, C, U>): Route[] {
  const base = `/accounts/{accountId}/${spec.collection}`;
  const item = `${base}/{${spec.idParam}}`;
  const params = itemParams(spec.idParam);
  const id = (p: Record<string, string>) => p[spec.idParam] ?? '';
  const tag = spec.collection;
  const plural = spec.plural ?? spec.collection.charAt(0).toUpperCase() + spec.collection.slice(1);
  const say = spec.summaries ?? {};
  return [
    route({
      method: 'get', path: base, operationId: `list${plural}`, tag,
      summary: say.list ?? `${plural} of the account`,
      params: accountParams, query: spec.filter, response: pageSchema(spec.item),
      handler: ({ caller, params: p, query }) => spec.service.list(caller, p.accountId, query as z.output<F>),
    }),
    route({
      method: 'post', path: base, operationId: `create${spec.noun}`, tag,
      summary: say.create ?? `Add a ${spec.noun.toLowerCase()}`,
      params: accountParams, body: spec.create, response: spec.created ?? spec.item,
      handler: ({ caller, params: p, body }) => spec.service.create(caller, p.accountId, body as z.output<C>),
    }),
    route({
      method: 'get', path: item, operationId: `get${spec.noun}`, tag,
      summary: say.get ?? `One ${spec.noun.toLowerCase()}`,
      params, response: spec.item,
      handler: ({ caller, params: p }) => spec.service.get(caller, p.accountId as string, id(p as Record<string, string>)),
    }),
    route({
      method: 'patch', path: item, operationId: `update${spec.noun}`, tag,
      summary: say.update ?? `Change a ${spec.noun.toLowerCase()}`,
      params, body: spec.update, response: spec.item,
      handler: ({ caller, params: p, body }) =>
        spec.service.update(caller, p.accountId as string, id(p as Record<string, string>), body as z.output<U>),
    }),
    route({
      method: 'delete', path: item, operationId: `delete${spec.noun}`, tag,
      summary: say.delete ?? `Remove a ${spec.noun.toLowerCase()}`,
      params,
      handler: ({ caller, params: p }) => spec.service.remove(caller, p.accountId as string, id(p as Record<string, string>)),
    }),
  ];
}
