// /accounts/{accountId}/service-requests: tickets the account side files and
// staff work on; /service-requests: the staff queue across their accounts.
import { z } from 'zod';
import { pageSchema } from '../paging.js';
import { type ServiceRequests, requestSchemas as s } from '../requests/index.js';
import { accountParams, itemParams } from './crud.js';
import { route } from './route.js';

export function serviceRequestRoutes(deps: { serviceRequests: ServiceRequests }) {
  const { serviceRequests: requests } = deps;
  const base = '/accounts/{accountId}/service-requests';
  const item = `${base}/{requestId}`;
  const params = itemParams('requestId');
  const tag = 'service-requests';
  return [
    route({
      method: 'get', path: '/service-requests', operationId: 'listServiceRequestQueue', tag,
      summary: 'Staff: the service requests of every account beneath the caller (filter by status, kind)',
      query: s.requestFilter, response: pageSchema(s.serviceRequest),
      handler: ({ caller, query }) => requests.queue(caller, query),
    }),
    route({
      method: 'get', path: base, operationId: 'listServiceRequests', tag,
      summary: 'Service requests of the account (owner, admins, staff)',
      params: accountParams, query: s.requestFilter, response: pageSchema(s.serviceRequest),
      handler: ({ caller, params: p, query }) => requests.list(caller, p.accountId, query),
    }),
    route({
      method: 'post', path: base, operationId: 'fileServiceRequest', tag,
      summary: 'File a request: porting, owner change, toll-free and cancellation by the owner; number removal and MAC addition by owner or admin',
      params: accountParams, body: s.fileRequest, response: s.serviceRequest,
      handler: ({ caller, params: p, body }) => requests.file(caller, p.accountId, body),
    }),
    route({
      method: 'get', path: item, operationId: 'getServiceRequest', tag,
      summary: 'One service request with its comments',
      params, response: s.serviceRequest,
      handler: ({ caller, params: p }) => requests.get(caller, p.accountId, p.requestId),
    }),
    route({
      method: 'post', path: `${item}/status`, operationId: 'moveServiceRequest', tag, status: 200,
      summary: 'Staff: move the request (open → in_progress → done / rejected); done applies its effect',
      params, body: s.transition, response: s.serviceRequest,
      handler: ({ caller, params: p, body }) => requests.transition(caller, p.accountId, p.requestId, body),
    }),
    route({
      method: 'post', path: `${item}/assignee`, operationId: 'assignServiceRequest', tag, status: 200,
      summary: 'Staff: take the request on (the caller becomes its assignee)',
      params, body: z.object({}), response: s.serviceRequest,
      handler: ({ caller, params: p }) => requests.assignSelf(caller, p.accountId, p.requestId),
    }),
    route({
      method: 'post', path: `${item}/carrier-pin`, operationId: 'revealServiceRequestPin', tag, status: 200,
      summary: 'Staff: the porting PIN as filed, for the losing carrier (audited; open or in-progress requests only)',
      params, body: z.object({}), response: s.revealedPin,
      handler: ({ caller, params: p }) => requests.revealPin(caller, p.accountId, p.requestId),
    }),
    route({
      method: 'post', path: `${item}/comments`, operationId: 'commentServiceRequest', tag,
      summary: 'Add a comment (account side or staff); answers the request with all its comments',
      params, body: s.comment, response: s.serviceRequest,
      handler: ({ caller, params: p, body }) => requests.comment(caller, p.accountId, p.requestId, body.body),
    }),
  ];
}
