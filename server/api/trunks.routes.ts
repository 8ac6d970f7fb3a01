// /trunks: carrier trunks (operator only).
import { z } from 'zod';
import { type Trunks, trunkSchemas as s } from '../trunks/index.js';
import { route } from './route.js';

const params = z.object({ trunkId: z.string().uuid('a UUID') });

export function trunkRoutes(deps: { trunks: Trunks }) {
  const { trunks } = deps;
  return [
    route({
      method: 'get', path: '/trunks', operationId: 'listTrunks', tag: 'trunks',
      summary: 'Carrier trunks (operator)',
      response: z.object({ items: z.array(s.trunk) }),
      handler: ({ caller }) => trunks.list(caller),
    }),
    route({
      method: 'post', path: '/trunks', operationId: 'createTrunk', tag: 'trunks',
      summary: 'Add a carrier trunk: the addresses its calls come from, and where calls to it go with which credentials',
      body: s.createTrunk, response: s.trunk,
      handler: ({ caller, body }) => trunks.create(caller, body),
    }),
    route({
      method: 'patch', path: '/trunks/{trunkId}', operationId: 'updateTrunk', tag: 'trunks',
      summary: 'Change a carrier trunk (every process picks it up within 5 s)',
      params, body: s.updateTrunk, response: s.trunk,
      handler: ({ caller, params: p, body }) => trunks.update(caller, p.trunkId, body),
    }),
    route({
      method: 'delete', path: '/trunks/{trunkId}', operationId: 'deleteTrunk', tag: 'trunks',
      summary: 'Remove a carrier trunk',
      params,
      handler: ({ caller, params: p }) => trunks.remove(caller, p.trunkId),
    }),
  ];
}
