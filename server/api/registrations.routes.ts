// Registrations of a subaccount (which devices are registered, from where) and
// the SIP address bans the edge has imposed.
import { isIP } from 'node:net';
import { z } from 'zod';
import { type Registrations, ban, registration } from '../registrations/index.js';
import { itemParams } from './crud.js';
import { route } from './route.js';

export function registrationRoutes(deps: { registrations: Registrations }) {
  const { registrations } = deps;
  const params = itemParams('subaccountId');
  return [
    route({
      method: 'get',
      path: '/accounts/{accountId}/subaccounts/{subaccountId}/registrations',
      operationId: 'listRegistrations',
      summary: 'Devices registered on the subaccount now: contact, source address, transport, user agent, expiry',
      tag: 'subaccounts',
      params,
      response: z.object({ items: z.array(registration) }),
      handler: ({ caller, params: p }) => registrations.list(caller, p.accountId, p.subaccountId),
    }),
    route({
      method: 'delete',
      path: '/accounts/{accountId}/subaccounts/{subaccountId}/registrations/{registrationId}',
      operationId: 'dropRegistration',
      summary: 'Drop one registration (the device registers again at its next refresh)',
      tag: 'subaccounts',
      params: params.extend({ registrationId: z.string().uuid('a UUID') }),
      handler: ({ caller, params: p }) => registrations.drop(caller, p.accountId, p.subaccountId, p.registrationId),
    }),
    route({
      method: 'get',
      path: '/sip/bans',
      operationId: 'listSipBans',
      summary: 'Source addresses the SIP edge ignores, why, and until when (operator)',
      tag: 'sip',
      response: z.object({ items: z.array(ban) }),
      handler: ({ caller }) => registrations.bans(caller),
    }),
    route({
      method: 'delete',
      path: '/sip/bans/{address}',
      operationId: 'liftSipBan',
      summary: 'Lift a ban (every process stops enforcing it within 2 s)',
      tag: 'sip',
      params: z.object({ address: z.string().refine((v) => isIP(v) !== 0, 'an IPv4 or IPv6 address') }),
      handler: ({ caller, params: p }) => registrations.liftBan(caller, p.address),
    }),
  ];
}
