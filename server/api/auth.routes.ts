// Login, token refresh, logout and "who am I".
import { z } from 'zod';
import { type Accounts, type Users, accountSchemas, userSchemas } from '../accounts/index.js';
import { route } from './route.js';
import type { Tokens } from './tokens.js';

const tokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
});
const refreshBody = z.object({ refreshToken: z.string().min(1, 'required') });

export function authRoutes(deps: { tokens: Tokens; accounts: Accounts; users: Users }) {
  return [
    route({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary: 'Exchange email and password for an access and a refresh token',
      tag: 'auth',
      isPublic: true,
      status: 200,
      body: z.object({ email: z.string().trim().min(1, 'required'), password: z.string().min(1, 'required').max(200) }),
      response: tokenPair,
      handler: ({ body }) => deps.tokens.login(body.email, body.password),
    }),
    route({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refresh',
      summary: 'Trade a refresh token (once) for a new pair',
      tag: 'auth',
      isPublic: true,
      status: 200,
      body: refreshBody,
      response: tokenPair,
      handler: ({ body }) => deps.tokens.refresh(body.refreshToken),
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: 'Revoke a refresh token and every token rotated from it',
      tag: 'auth',
      isPublic: true,
      status: 204,
      body: refreshBody,
      handler: ({ body }) => deps.tokens.logout(body.refreshToken),
    }),
    route({
      method: 'get',
      path: '/me',
      operationId: 'me',
      summary: 'The logged-in user and their account',
      tag: 'auth',
      response: z.object({ user: userSchemas.user, account: accountSchemas.account }),
      handler: async ({ caller }) => ({
        user: await deps.users.get(caller, caller.accountId, caller.userId ?? ''),
        account: await deps.accounts.get(caller, caller.accountId),
      }),
    }),
  ];
}
