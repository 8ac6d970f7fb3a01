// /accounts/{accountId}/usage-settings and what usage charges leave behind:
// alerts, charges (top-ups and auto-recharge attempts) and the outbox.
import { z } from 'zod';
import { pageQuery, pageSchema } from '../paging.js';
import { type Usage, usageSchemas as u } from '../usage/index.js';
import { accountParams } from './crud.js';
import { route } from './route.js';

export function usageRoutes(deps: { usage: Usage }) {
  const { usage } = deps;
  const tag = 'usage';
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/usage-settings', operationId: 'getUsageSettings', tag,
      summary: 'Threshold alerts (emails, webhook) and auto-recharge',
      params: accountParams, response: u.usageSettings,
      handler: ({ caller, params: p }) => usage.settings(caller, p.accountId),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/usage-settings', operationId: 'putUsageSettings', tag,
      summary: 'Replace the usage settings (changing auto-recharge: owner only)',
      params: accountParams, body: u.putUsageSettings, response: u.usageSettings,
      handler: ({ caller, params: p, body }) => usage.putSettings(caller, p.accountId, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/usage-alerts', operationId: 'listUsageAlerts', tag,
      summary: 'Alerts raised: balance below the threshold, auto-recharge declined; newest first',
      params: accountParams, query: pageQuery, response: pageSchema(u.alert),
      handler: ({ caller, params: p, query }) => usage.alerts(caller, p.accountId, query),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/charges', operationId: 'listCharges', tag,
      summary: 'Card charges: manual top-ups and auto-recharge attempts (?kind=auto_recharge), newest first',
      params: accountParams, query: pageQuery.extend({ kind: z.enum(['topup', 'auto_recharge']).optional() }), response: pageSchema(u.charge),
      handler: ({ caller, params: p, query }) => usage.charges(caller, p.accountId, query),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/outbox', operationId: 'listOutbox', tag,
      summary: 'Alert emails and webhook calls with their delivery state (emails stay here when no SMTP server is configured)',
      params: accountParams, query: pageQuery, response: pageSchema(u.outboxItem),
      handler: ({ caller, params: p, query }) => usage.outbox(caller, p.accountId, query),
    }),
  ];
}
